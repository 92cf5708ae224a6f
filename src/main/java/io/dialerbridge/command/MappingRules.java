package io.dialerbridge.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The settings that decide how Salesforce values map to the dialer. They say which values mean "do not call", "stop
 * calling" or "leave the campaign", and how phones are read; {@code new MappingRules()} gives the defaults.
 *
 * <p>Statuses are compared ignoring case and surrounding blanks, because picklist labels are typed into
 * configuration by hand.
 */
@ConfigurationProperties("dialer.mapping")
public class MappingRules {

    /** Lead statuses that mean Do Not Call: the person is suppressed. */
    private List<String> suppressStatuses = new ArrayList<>(List.of("Do Not Call"));
    /** Lead statuses that end calling: the person is removed from the dialer. */
    private List<String> removeStatuses = new ArrayList<>(List.of("Closed - Not Converted", "Unqualified"));
    /** Person fields that hold phone numbers, by their Salesforce API names. */
    private List<String> phoneFields = new ArrayList<>(List.of("Phone", "MobilePhone"));
    /** ISO 3166 region for phones written without a country code. */
    private String defaultRegion = "US";
    /** CampaignMember statuses that take the person out of the campaign. */
    private List<String> campaignMemberRemoveStatuses = new ArrayList<>(List.of("Removed", "Opted Out"));

    public boolean isSuppressStatus(String status) {
        return contains(suppressStatuses, status);
    }

    public boolean isRemoveStatus(String status) {
        return contains(removeStatuses, status);
    }

    public boolean isCampaignMemberRemoveStatus(String status) {
        return contains(campaignMemberRemoveStatuses, status);
    }

    private static boolean contains(List<String> statuses, String status) {
        if (status == null) {
            return false;
        }
        String wanted = status.strip().toLowerCase(Locale.ROOT);
        return statuses.stream().anyMatch(s -> s != null && s.strip().toLowerCase(Locale.ROOT).equals(wanted));
    }

    public List<String> getSuppressStatuses() {
        return suppressStatuses;
    }

    public void setSuppressStatuses(List<String> suppressStatuses) {
        this.suppressStatuses = suppressStatuses;
    }

    public List<String> getRemoveStatuses() {
        return removeStatuses;
    }

    public void setRemoveStatuses(List<String> removeStatuses) {
        this.removeStatuses = removeStatuses;
    }

    public List<String> getPhoneFields() {
        return phoneFields;
    }

    public void setPhoneFields(List<String> phoneFields) {
        this.phoneFields = phoneFields;
    }

    public String getDefaultRegion() {
        return defaultRegion;
    }

    public void setDefaultRegion(String defaultRegion) {
        this.defaultRegion = defaultRegion;
    }

    public List<String> getCampaignMemberRemoveStatuses() {
        return campaignMemberRemoveStatuses;
    }

    public void setCampaignMemberRemoveStatuses(List<String> campaignMemberRemoveStatuses) {
        this.campaignMemberRemoveStatuses = campaignMemberRemoveStatuses;
    }
}
