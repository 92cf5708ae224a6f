package io.dialerbridge.command;

import static io.dialerbridge.command.EventFixtures.CAMPAIGN;
import static io.dialerbridge.command.EventFixtures.CAMPAIGN_15;
import static io.dialerbridge.command.EventFixtures.LEAD;
import static io.dialerbridge.command.EventFixtures.USER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.time.Instant;
import java.util.List;

import io.dialerbridge.command.MappingException.Reason;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CampaignControlParserTest {

    private static final String CHANNEL = "/u/DialerControl";
    private static final String CREATED_DATE = "2016-03-29T19:05:28.334Z";

    private final CampaignControlParser parser = new CampaignControlParser();

    private DialerCommand deliver(String payload) {
        List<DialerCommand> commands = CamelShapedInput.control(parser, payload, 55L, CREATED_DATE, CHANNEL);
        assertThat(commands).hasSize(1);
        return commands.get(0);
    }

    @Nested
    class TextForm {

        @Test
        void pausesACampaign() {
            DialerCommand command = deliver("PAUSE_CAMPAIGN " + CAMPAIGN);

            assertThat(command.type()).isEqualTo(CommandType.CAMPAIGN_PAUSE);
            assertThat(command.key()).isEqualTo(CAMPAIGN);
            assertThat(command.time()).isEqualTo(Instant.parse(CREATED_DATE));
            assertThat(command.data()).containsExactly(entry("campaignId", CAMPAIGN), entry("reason", null),
                    entry("requestedBy", null));
            assertThat(command.kafkaHeaders()).containsExactly(
                    entry("ce_specversion", "1.0"),
                    entry("ce_id", "/u/DialerControl:55"),
                    entry("ce_source", "/salesforce/00D000000000001AAA/u/DialerControl"),
                    entry("ce_type", "dialer.campaign.pause"),
                    entry("ce_subject", CAMPAIGN),
                    entry("ce_time", "2016-03-29T19:05:28.334Z"),
                    entry("content-type", "application/json"));
        }

        @Test
        void takesTheRestOfTheLineAsTheReasonAndWidensA15CharacterId() {
            DialerCommand command = deliver("  pause_campaign   " + CAMPAIGN_15 + "  storm  outage ");

            assertThat(command.data()).containsExactly(entry("campaignId", CAMPAIGN),
                    entry("reason", "storm  outage"), entry("requestedBy", null));
        }

        @Test
        void resumesAllCampaigns() {
            DialerCommand command = deliver("RESUME_CAMPAIGN *");

            assertThat(command.type()).isEqualTo(CommandType.CAMPAIGN_RESUME);
            assertThat(command.key()).isEqualTo("*");
            assertThat(command.data()).containsEntry("campaignId", "*");
        }

        @Test
        void setsTheDialingModeOfAProfileForAllCampaigns() {
            DialerCommand command = deliver("SET_DIALING_MODE EVENING PREDICTIVE");

            assertThat(command.type()).isEqualTo(CommandType.CAMPAIGN_DIALING_MODE);
            assertThat(command.key()).isEqualTo("*");
            assertThat(command.data()).containsExactly(entry("campaignId", "*"), entry("mode", "PREDICTIVE"),
                    entry("profile", "EVENING"));
        }

        @Test
        void setsTheDialingModeOfOneCampaign() {
            DialerCommand command = deliver("SET_DIALING_MODE " + CAMPAIGN_15 + " WEEKEND progressive");

            assertThat(command.key()).isEqualTo(CAMPAIGN);
            assertThat(command.data()).containsExactly(entry("campaignId", CAMPAIGN), entry("mode", "PROGRESSIVE"),
                    entry("profile", "WEEKEND"));
        }
    }

    @Nested
    class JsonForm {

        @Test
        void pausesWithReasonAndRequester() {
            DialerCommand command = deliver("""
                    {"command":"PAUSE_CAMPAIGN","campaignId":"%s","reason":"Compliance review","requestedBy":"%s"}"""
                    .formatted(CAMPAIGN, USER));

            assertThat(command.type()).isEqualTo(CommandType.CAMPAIGN_PAUSE);
            assertThat(command.data()).containsExactly(entry("campaignId", CAMPAIGN),
                    entry("reason", "Compliance review"), entry("requestedBy", USER));
        }

        @Test
        void resumes() {
            assertThat(deliver("{\"command\":\"RESUME_CAMPAIGN\",\"campaignId\":\"*\"}").type())
                    .isEqualTo(CommandType.CAMPAIGN_RESUME);
        }

        @Test
        void setsTheDialingModeForAllCampaignsWhenNoneIsNamed() {
            DialerCommand command = deliver("{\"command\":\"SET_DIALING_MODE\",\"profile\":\"EVENING\","
                    + "\"mode\":\"power\"}");

            assertThat(command.key()).isEqualTo("*");
            assertThat(command.data()).containsExactly(entry("campaignId", "*"), entry("mode", "POWER"),
                    entry("profile", "EVENING"));
        }

        @Test
        void setsTheDialingModeOfANamedCampaign() {
            DialerCommand command = deliver("{\"command\":\"SET_DIALING_MODE\",\"campaignId\":\"" + CAMPAIGN
                    + "\",\"profile\":\"DAY\",\"mode\":\"PREVIEW\"}");

            assertThat(command.key()).isEqualTo(CAMPAIGN);
            assertThat(command.data()).containsEntry("mode", "PREVIEW").containsEntry("profile", "DAY");
        }
    }

    @Nested
    class Broadcast {

        @ParameterizedTest
        @ValueSource(strings = {
            "Lunch is served in the break room",
            "PAUSE_CAMPAIGN",
            "PAUSE_CAMPAIGN 12345",
            "PAUSE_CAMPAIGN " + LEAD,
            "STOP_CAMPAIGN *",
            "SET_DIALING_MODE EVENING TURBO",
            "SET_DIALING_MODE " + CAMPAIGN + " PREDICTIVE",
            "SET_DIALING_MODE EVENING",
            "SET_DIALING_MODE * EVENING PREDICTIVE now",
            "PAUSE_CAMPAIGN *\nand call me",
            "{\"command\":\"PAUSE_CAMPAIGN\"}",
            "{\"command\":\"PAUSE_CAMPAIGN\",\"campaignId\":7015}",
            "{\"command\":\"PAUSE_CAMPAIGN\",\"campaignId\":\"*\"} trailing",
            "{\"command\":\"SET_DIALING_MODE\",\"mode\":\"PREDICTIVE\"}",
            "{\"command\":\"SUPPRESS_RECORD\",\"recordId\":\"" + LEAD + "\"}",
            "{not json at all",
        })
        void passesOnAnythingNotUnderstoodWhole(String payload) {
            DialerCommand command = deliver(payload);

            assertThat(command.type()).isEqualTo(CommandType.BROADCAST);
            assertThat(command.key()).isEqualTo("*");
            assertThat(command.id()).isEqualTo("/u/DialerControl:55");
            assertThat(command.data()).containsExactly(entry("text", payload));
        }

        @Test
        void keepsTheTextExactlyAsSent() {
            String payload = "  Reminder:\n  new scripts from Monday  ";

            assertThat(deliver(payload).data()).containsExactly(entry("text", payload));
        }
    }

    @Nested
    class Rejections {

        @Test
        void anEmptyPayload() {
            assertThatThrownBy(() -> deliver(null)).isInstanceOfSatisfying(MappingException.class,
                    e -> assertThat(e.reason()).isEqualTo(Reason.MISSING_FIELD));
            assertThatThrownBy(() -> deliver("   ")).isInstanceOfSatisfying(MappingException.class,
                    e -> assertThat(e.reason()).isEqualTo(Reason.MISSING_FIELD));
        }
    }
}
