package io.dialerbridge.command;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the campaign-control commands of the platform event and the generic channel. Both share it so that they say
 * the same thing the same way; each event yields one command, so its id is the plain event id.
 */
final class CampaignCommands {

    private CampaignCommands() {
    }

    /** A pause or resume; {@code reason} and {@code requestedBy} are always written, {@code null} when unknown. */
    static DialerCommand pauseOrResume(CommandType type, EventOrigin origin, String campaignKey, String reason,
            String requestedBy) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("campaignId", campaignKey);
        data.put("reason", reason);
        data.put("requestedBy", requestedBy);
        return command(type, origin, campaignKey, data);
    }

    static DialerCommand dialingMode(EventOrigin origin, String campaignKey, DialingMode mode, String profile) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("campaignId", campaignKey);
        data.put("mode", mode.name());
        data.put("profile", profile);
        return command(CommandType.CAMPAIGN_DIALING_MODE, origin, campaignKey, data);
    }

    /** A message for every campaign, passed on whole. */
    static DialerCommand broadcast(EventOrigin origin, String text) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("text", text);
        return command(CommandType.BROADCAST, origin, RecordIds.ALL_CAMPAIGNS, data);
    }

    private static DialerCommand command(CommandType type, EventOrigin origin, String campaignKey,
            Map<String, Object> data) {
        return new EventCommands(origin, campaignKey, false).add(type, campaignKey, campaignKey, data).list().get(0);
    }
}
