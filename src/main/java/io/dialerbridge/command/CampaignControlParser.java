package io.dialerbridge.command;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.dialerbridge.command.MappingException.Reason;

/**
 * Reads the payload strings of the generic {@code /u/DialerControl} channel as campaign control. Anything it does not
 * understand goes on as a {@code dialer.broadcast} of the whole text, so no message is lost.
 *
 * <p>Understood forms, command words and modes in any case:
 * <ul>
 * <li>JSON: {@code {"command":"PAUSE_CAMPAIGN"|"RESUME_CAMPAIGN","campaignId":…,"reason":…,"requestedBy":…}} and
 * {@code {"command":"SET_DIALING_MODE","campaignId":…,"profile":…,"mode":…}}, where {@code campaignId} may be left
 * out for SET_DIALING_MODE only (all campaigns, as in the text form); every given field must be a string.</li>
 * <li>One line of text: {@code PAUSE_CAMPAIGN <campaign> [reason…]}, {@code RESUME_CAMPAIGN <campaign> [reason…]},
 * {@code SET_DIALING_MODE <profile> <mode>} (all campaigns) and {@code SET_DIALING_MODE <campaign> <profile> <mode>}.
 * A three-word SET_DIALING_MODE whose first word is a campaign is read as a missing profile, not as a profile named
 * like a campaign.</li>
 * </ul>
 * A campaign is a 15- or 18-character Campaign ({@code 701}) id, sent on in 18-character form, or {@code *}.
 * The channel has no user, so {@code requestedBy} is {@code null} unless the JSON names one. An empty payload is not
 * a message and is rejected, which also catches camel-salesforce 4.17 handing generic events over with no body.
 */
public class CampaignControlParser {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private static final Pattern PAUSE_OR_RESUME = Pattern.compile("(\\S+)\\s+(\\S+)(?:\\s+(.+))?");

    /** The command a payload asks for, or a broadcast of it. */
    public DialerCommand parse(String payload, EventOrigin origin) {
        if (payload == null || payload.isBlank()) {
            throw new MappingException(Reason.MISSING_FIELD, "the generic event has no payload");
        }
        String text = payload.strip();
        Optional<DialerCommand> command = text.startsWith("{") ? fromJson(text, origin) : fromLine(text, origin);
        return command.orElseGet(() -> CampaignCommands.broadcast(origin, payload));
    }

    private static Optional<DialerCommand> fromJson(String text, EventOrigin origin) {
        try {
            JsonNode json = JSON.readTree(text);
            Optional<String> campaignId = string(json, "campaignId");
            Optional<String> reason = string(json, "reason");
            Optional<String> requestedBy = string(json, "requestedBy");
            Optional<String> profile = string(json, "profile");
            Optional<String> mode = string(json, "mode");
            return switch (string(json, "command").orElse("").strip().toUpperCase(Locale.ROOT)) {
                case "PAUSE_CAMPAIGN" -> campaignId.flatMap(RecordIds::campaignKey).map(campaign -> CampaignCommands
                        .pauseOrResume(CommandType.CAMPAIGN_PAUSE, origin, campaign, reason.orElse(null),
                                requestedBy.orElse(null)));
                case "RESUME_CAMPAIGN" -> campaignId.flatMap(RecordIds::campaignKey).map(campaign -> CampaignCommands
                        .pauseOrResume(CommandType.CAMPAIGN_RESUME, origin, campaign, reason.orElse(null),
                                requestedBy.orElse(null)));
                case "SET_DIALING_MODE" -> {
                    Optional<String> campaign = campaignId.isEmpty() ? Optional.of(RecordIds.ALL_CAMPAIGNS)
                            : campaignId.flatMap(RecordIds::campaignKey);
                    Optional<DialingMode> dialingMode = mode.flatMap(DialingMode::parse);
                    if (campaign.isEmpty() || dialingMode.isEmpty() || profile.isEmpty()) {
                        yield Optional.empty();
                    }
                    yield Optional.of(CampaignCommands.dialingMode(origin, campaign.get(), dialingMode.get(),
                            profile.get().strip()));
                }
                default -> Optional.empty();
            };
        } catch (JsonProcessingException | NotUnderstood e) {
            return Optional.empty();
        }
    }

    /**
     * A JSON member as text, empty when absent, null or blank; a member that is not a string makes the whole
     * message not understood, so a number for a campaign id is broadcast rather than half-read.
     */
    private static Optional<String> string(JsonNode json, String name) {
        JsonNode value = json.get(name);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new NotUnderstood();
        }
        return Optional.ofNullable(WireValues.text(value.textValue()));
    }

    private static Optional<DialerCommand> fromLine(String text, EventOrigin origin) {
        if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            return Optional.empty();
        }
        String[] words = text.split("\\s+");
        return switch (words[0].toUpperCase(Locale.ROOT)) {
            case "PAUSE_CAMPAIGN" -> pauseOrResume(CommandType.CAMPAIGN_PAUSE, text, origin);
            case "RESUME_CAMPAIGN" -> pauseOrResume(CommandType.CAMPAIGN_RESUME, text, origin);
            case "SET_DIALING_MODE" -> {
                if (words.length == 3 && RecordIds.campaignKey(words[1]).isEmpty()) {
                    yield DialingMode.parse(words[2]).map(mode -> CampaignCommands.dialingMode(origin,
                            RecordIds.ALL_CAMPAIGNS, mode, words[1]));
                }
                if (words.length == 4) {
                    yield RecordIds.campaignKey(words[1]).flatMap(campaign -> DialingMode.parse(words[3])
                            .map(mode -> CampaignCommands.dialingMode(origin, campaign, mode, words[2])));
                }
                yield Optional.empty();
            }
            default -> Optional.empty();
        };
    }

    private static Optional<DialerCommand> pauseOrResume(CommandType type, String text, EventOrigin origin) {
        Matcher line = PAUSE_OR_RESUME.matcher(text);
        if (!line.matches()) {
            return Optional.empty();
        }
        return RecordIds.campaignKey(line.group(2)).map(campaign -> CampaignCommands.pauseOrResume(type, origin,
                campaign, line.group(3), null));
    }

    /** A payload that looked like a command but is not one; it ends as a broadcast. */
    private static final class NotUnderstood extends RuntimeException {
        NotUnderstood() {
            super(null, null, false, false);
        }
    }
}
