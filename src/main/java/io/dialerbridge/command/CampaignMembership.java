package io.dialerbridge.command;

/**
 * What the bridge remembers about one CampaignMember, because a CDC DELETE names only the member id.
 *
 * @param personId   the Lead or Contact that is the member (18 characters)
 * @param campaignId the campaign (18 characters)
 * @param status     the member status last seen, may be {@code null}
 */
public record CampaignMembership(String personId, String campaignId, String status) {
}
