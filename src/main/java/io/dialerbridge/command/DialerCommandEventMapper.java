package io.dialerbridge.command;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import io.dialerbridge.command.MappingException.Reason;
import org.apache.camel.component.salesforce.api.dto.PlatformEvent;

/**
 * Turns {@code Dialer_Command__e} platform events into dialer commands. Salesforce users and flows publish them on
 * purpose, so a malformed one is rejected with a precise reason rather than guessed at.
 *
 * <p>Unlike the terse text form of the generic channel, a platform event must name its campaign: a blank
 * {@code Campaign_Id__c} is a {@code MISSING_FIELD}, and {@code *} must be written out to mean all campaigns.
 * {@code SUPPRESS_RECORD} suppresses with reason {@code REQUESTED} and no phones (the event carries none; the guard
 * adds the numbers it knows): a reason of its own, so only {@code UNSUPPRESS_RECORD} lifts it, never the next edit
 * of the record with {@code DoNotCall=false} (docs/dnc.md). {@code UNSUPPRESS_RECORD} lifts {@code REQUESTED}, or
 * the reason {@code Reason__c} names: {@code REQUESTED} or {@code DISPOSITION} (a DO_NOT_CALL call outcome, lifted
 * only so, on purpose); Salesforce's own reasons are lifted by clearing DoNotCall or the status, so naming them is an
 * {@code INVALID_VALUE}. {@code REMOVE_RECORD} removes with reason {@code REQUESTED}.
 */
public class DialerCommandEventMapper {

    static final String COMMAND = "Command__c";
    static final String CAMPAIGN_ID = "Campaign_Id__c";
    static final String RECORD_ID = "Record_Id__c";
    static final String DIALING_MODE = "Dialing_Mode__c";
    static final String PROFILE = "Profile__c";
    static final String REASON = "Reason__c";

    static final String REASON_REQUESTED = "REQUESTED";
    static final String REASON_DISPOSITION = "DISPOSITION";
    /** The reasons {@code UNSUPPRESS_RECORD} may lift. */
    private static final List<String> LIFTABLE = List.of(REASON_REQUESTED, REASON_DISPOSITION);

    private final String orgId;

    public DialerCommandEventMapper(String orgId) {
        this.orgId = orgId;
    }

    /** The command one {@code Dialer_Command__e} asks for. */
    public DialerCommand command(PlatformEvent event, String channel, long replayId) {
        if (event == null) {
            throw new MappingException(Reason.MISSING_FIELD, "the platform event is missing");
        }
        EventOrigin origin = new EventOrigin(orgId, channel, replayId,
                WireValues.instant(event.getCreated(), "CreatedDate"));
        Map<String, String> fields = event.getEventData();
        String requestedBy = RecordIds.to18IfValid(WireValues.text(event.getCreatedById()));
        String command = required(fields, COMMAND).strip().toUpperCase(Locale.ROOT);
        return switch (command) {
            case "PAUSE_CAMPAIGN" -> CampaignCommands.pauseOrResume(CommandType.CAMPAIGN_PAUSE, origin,
                    campaign(fields), WireValues.text(fields.get(REASON)), requestedBy);
            case "RESUME_CAMPAIGN" -> CampaignCommands.pauseOrResume(CommandType.CAMPAIGN_RESUME, origin,
                    campaign(fields), WireValues.text(fields.get(REASON)), requestedBy);
            case "SET_DIALING_MODE" -> {
                String campaign = campaign(fields);
                String modeText = required(fields, DIALING_MODE);
                DialingMode mode = DialingMode.parse(modeText).orElseThrow(() -> new MappingException(
                        Reason.INVALID_VALUE, DIALING_MODE + " must be PREVIEW, PROGRESSIVE, POWER or PREDICTIVE: "
                                + modeText));
                yield CampaignCommands.dialingMode(origin, campaign, mode, required(fields, PROFILE).strip());
            }
            case "SUPPRESS_RECORD" -> {
                String personId = RecordIds.person(fields.get(RECORD_ID), RECORD_ID);
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("recordId", personId);
                data.put("phones", List.of());
                data.put("scope", ContactRules.SCOPE_CONTACT);
                data.put("reason", REASON_REQUESTED);
                data.put("reasons", List.of(REASON_REQUESTED));
                data.put("requestedAt", DialerCommand.rfc3339(origin.time()));
                yield new EventCommands(origin, personId, false)
                        .add(CommandType.CONTACT_SUPPRESS, personId, personId, data).list().get(0);
            }
            case "UNSUPPRESS_RECORD" -> {
                String personId = RecordIds.person(fields.get(RECORD_ID), RECORD_ID);
                String reason = Objects.requireNonNullElse(WireValues.text(fields.get(REASON)), REASON_REQUESTED)
                        .strip().toUpperCase(Locale.ROOT);
                if (!LIFTABLE.contains(reason)) {
                    throw new MappingException(Reason.INVALID_VALUE, REASON + " of UNSUPPRESS_RECORD must be "
                            + String.join(" or ", LIFTABLE) + " (DoNotCall and Do Not Call statuses are lifted in"
                            + " Salesforce itself): " + reason);
                }
                EventCommands commands = new EventCommands(origin, personId, false);
                ContactRules.unsuppress(commands, personId, List.of(reason), origin);
                yield commands.list().get(0);
            }
            case "REMOVE_RECORD" -> {
                String personId = RecordIds.person(fields.get(RECORD_ID), RECORD_ID);
                EventCommands commands = new EventCommands(origin, personId, false);
                ContactRules.remove(commands, personId, REASON_REQUESTED);
                yield commands.list().get(0);
            }
            case "BROADCAST" -> CampaignCommands.broadcast(origin, required(fields, REASON));
            default -> throw new MappingException(Reason.UNKNOWN_COMMAND, COMMAND + " " + command
                    + " is not one of PAUSE_CAMPAIGN, RESUME_CAMPAIGN, SET_DIALING_MODE, SUPPRESS_RECORD,"
                    + " UNSUPPRESS_RECORD, REMOVE_RECORD, BROADCAST");
        };
    }

    private static String campaign(Map<String, String> fields) {
        String text = required(fields, CAMPAIGN_ID);
        return RecordIds.campaignKey(text).orElseThrow(() -> new MappingException(Reason.INVALID_ID,
                CAMPAIGN_ID + " must be a Campaign (701) id or *: " + text));
    }

    private static String required(Map<String, String> fields, String name) {
        String value = WireValues.text(fields.get(name));
        if (value == null) {
            throw new MappingException(Reason.MISSING_FIELD, name + " is required");
        }
        return value;
    }
}
