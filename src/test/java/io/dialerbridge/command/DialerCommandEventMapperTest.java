package io.dialerbridge.command;

import static io.dialerbridge.command.EventFixtures.CAMPAIGN;
import static io.dialerbridge.command.EventFixtures.CAMPAIGN_15;
import static io.dialerbridge.command.EventFixtures.CONTACT;
import static io.dialerbridge.command.EventFixtures.LEAD;
import static io.dialerbridge.command.EventFixtures.LEAD_15;
import static io.dialerbridge.command.EventFixtures.ORG;
import static io.dialerbridge.command.EventFixtures.USER;
import static io.dialerbridge.command.EventFixtures.USER_15;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.time.ZonedDateTime;
import java.util.List;

import io.dialerbridge.command.MappingException.Reason;
import org.apache.camel.component.salesforce.api.dto.PlatformEvent;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class DialerCommandEventMapperTest {

    private static final String CHANNEL = "/event/Dialer_Command__e";
    private static final String CREATED_DATE = "2023-04-09T18:31:40.517Z";

    private final DialerCommandEventMapper mapper = new DialerCommandEventMapper(ORG);

    /** A platform event as camel builds it: CreatedDate and CreatedById apart, the custom fields as strings. */
    private static PlatformEvent event(String... fieldsAndValues) {
        PlatformEvent event = new PlatformEvent(ZonedDateTime.parse(CREATED_DATE), USER_15);
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            event.set(fieldsAndValues[i], fieldsAndValues[i + 1]);
        }
        return event;
    }

    private DialerCommand deliver(PlatformEvent event) {
        List<DialerCommand> commands = CamelShapedInput.platformEvent(mapper, event, 2112L, CHANNEL);
        assertThat(commands).hasSize(1);
        return commands.get(0);
    }

    private static MappingException rejection(Runnable mapping) {
        try {
            mapping.run();
        } catch (MappingException e) {
            return e;
        }
        throw new AssertionError("expected a MappingException");
    }

    @Nested
    class CampaignControl {

        @Test
        void pausesACampaignWithTheReasonAndTheUserWhoAsked() {
            DialerCommand command = deliver(event("Command__c", "PAUSE_CAMPAIGN", "Campaign_Id__c", CAMPAIGN_15,
                    "Reason__c", "Storm outage", "Record_Id__c", null));

            assertThat(command.topic()).isEqualTo(CommandTopic.CAMPAIGN_CONTROL);
            assertThat(command.key()).isEqualTo(CAMPAIGN);
            assertThat(command.data()).containsExactly(entry("campaignId", CAMPAIGN),
                    entry("reason", "Storm outage"), entry("requestedBy", USER));
            assertThat(command.kafkaHeaders()).containsExactly(
                    entry("ce_specversion", "1.0"),
                    entry("ce_id", "/event/Dialer_Command__e:2112"),
                    entry("ce_source", "/salesforce/00D000000000001AAA/event/Dialer_Command__e"),
                    entry("ce_type", "dialer.campaign.pause"),
                    entry("ce_subject", CAMPAIGN),
                    entry("ce_time", "2023-04-09T18:31:40.517Z"),
                    entry("content-type", "application/json"));
        }

        @Test
        void resumesAllCampaignsWithoutAReason() {
            DialerCommand command = deliver(event("Command__c", "resume_campaign", "Campaign_Id__c", "*"));

            assertThat(command.type()).isEqualTo(CommandType.CAMPAIGN_RESUME);
            assertThat(command.key()).isEqualTo("*");
            assertThat(command.subject()).isEqualTo("*");
            assertThat(command.data()).containsExactly(entry("campaignId", "*"), entry("reason", null),
                    entry("requestedBy", USER));
        }

        @Test
        void setsTheDialingModeOfAProfile() {
            DialerCommand command = deliver(event("Command__c", "SET_DIALING_MODE", "Campaign_Id__c", CAMPAIGN,
                    "Dialing_Mode__c", "predictive", "Profile__c", "EVENING"));

            assertThat(command.type()).isEqualTo(CommandType.CAMPAIGN_DIALING_MODE);
            assertThat(command.data()).containsExactly(entry("campaignId", CAMPAIGN), entry("mode", "PREDICTIVE"),
                    entry("profile", "EVENING"));
        }

        @Test
        void broadcastsTheReasonText() {
            DialerCommand command = deliver(event("Command__c", "BROADCAST", "Reason__c", "Team meeting at 3pm"));

            assertThat(command.type()).isEqualTo(CommandType.BROADCAST);
            assertThat(command.key()).isEqualTo("*");
            assertThat(command.data()).containsExactly(entry("text", "Team meeting at 3pm"));
        }
    }

    @Nested
    class RecordCommands {

        @Test
        void suppressesTheRecordForAReasonOfItsOwnThatOnlyAnUnsuppressRecordLifts() {
            DialerCommand command = deliver(event("Command__c", "SUPPRESS_RECORD", "Record_Id__c", LEAD_15));

            assertThat(command.topic()).isEqualTo(CommandTopic.CONTACT_COMMANDS);
            assertThat(command.key()).isEqualTo(LEAD);
            assertThat(command.kafkaHeaders()).containsEntry("ce_type", "dialer.contact.suppress")
                    .containsEntry("ce_id", "/event/Dialer_Command__e:2112").containsEntry("ce_subject", LEAD);
            assertThat(command.data()).containsExactly(entry("recordId", LEAD), entry("phones", List.of()),
                    entry("scope", "CONTACT"), entry("reason", "REQUESTED"), entry("reasons", List.of("REQUESTED")),
                    entry("requestedAt", "2023-04-09T18:31:40.517Z"));
        }

        @Test
        void unsuppressesTheRequestedReasonByDefault() {
            DialerCommand command = deliver(event("Command__c", "UNSUPPRESS_RECORD", "Record_Id__c", LEAD_15));

            assertThat(command.type()).isEqualTo(CommandType.CONTACT_UNSUPPRESS);
            assertThat(command.key()).isEqualTo(LEAD);
            assertThat(command.id()).isEqualTo("/event/Dialer_Command__e:2112");
            assertThat(command.data()).containsExactly(entry("recordId", LEAD), entry("reason", "REQUESTED"),
                    entry("reasons", List.of("REQUESTED")), entry("requestedAt", "2023-04-09T18:31:40.517Z"));
        }

        @Test
        void unsuppressesADispositionOnlyWhenTheReasonNamesIt() {
            DialerCommand command = deliver(event("Command__c", "UNSUPPRESS_RECORD", "Record_Id__c", CONTACT,
                    "Reason__c", " disposition "));

            assertThat(command.data()).containsEntry("reasons", List.of("DISPOSITION"));
        }

        @Test
        void removesTheRecordOnRequest() {
            DialerCommand command = deliver(event("Command__c", "REMOVE_RECORD", "Record_Id__c", CONTACT));

            assertThat(command.type()).isEqualTo(CommandType.CONTACT_REMOVE);
            assertThat(command.key()).isEqualTo(CONTACT);
            assertThat(command.data()).containsExactly(entry("recordId", CONTACT), entry("reason", "REQUESTED"));
        }
    }

    @Nested
    class Rejections {

        @Test
        void aMissingOrUnknownCommand() {
            assertThat(rejection(() -> deliver(event("Campaign_Id__c", CAMPAIGN))))
                    .satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.MISSING_FIELD))
                    .hasMessageContaining("Command__c");
            assertThat(rejection(() -> deliver(event("Command__c", "STOP_EVERYTHING"))))
                    .satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_COMMAND))
                    .hasMessageContaining("STOP_EVERYTHING");
        }

        @Test
        void aMissingOrInvalidCampaign() {
            assertThat(rejection(() -> deliver(event("Command__c", "PAUSE_CAMPAIGN", "Campaign_Id__c", " "))))
                    .satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.MISSING_FIELD))
                    .hasMessageContaining("Campaign_Id__c");
            assertThat(rejection(() -> deliver(event("Command__c", "PAUSE_CAMPAIGN", "Campaign_Id__c", LEAD))))
                    .satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_ID))
                    .hasMessageContaining("Campaign_Id__c");
        }

        @Test
        void aBadDialingModeOrNoProfile() {
            assertThat(rejection(() -> deliver(event("Command__c", "SET_DIALING_MODE", "Campaign_Id__c", "*",
                    "Dialing_Mode__c", "TURBO", "Profile__c", "EVENING"))))
                    .satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_VALUE))
                    .hasMessageContaining("TURBO");
            assertThat(rejection(() -> deliver(event("Command__c", "SET_DIALING_MODE", "Campaign_Id__c", "*",
                    "Dialing_Mode__c", "POWER"))))
                    .satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.MISSING_FIELD))
                    .hasMessageContaining("Profile__c");
        }

        @Test
        void aRecordThatIsNotAPerson() {
            assertThat(rejection(() -> deliver(event("Command__c", "SUPPRESS_RECORD", "Record_Id__c", CAMPAIGN))))
                    .satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_ID));
            assertThat(rejection(() -> deliver(event("Command__c", "REMOVE_RECORD"))))
                    .satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.MISSING_FIELD))
                    .hasMessageContaining("Record_Id__c");
        }

        @Test
        void anUnsuppressOfAReasonSalesforceItselfHoldsOrOfAnUnknownOne() {
            assertThat(rejection(() -> deliver(event("Command__c", "UNSUPPRESS_RECORD", "Record_Id__c", LEAD,
                    "Reason__c", "SALESFORCE_DNC"))))
                    .satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_VALUE))
                    .hasMessageContaining("SALESFORCE_DNC");
            assertThat(rejection(() -> deliver(event("Command__c", "UNSUPPRESS_RECORD", "Record_Id__c", LEAD,
                    "Reason__c", "STATUS")))).satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_VALUE));
            assertThat(rejection(() -> deliver(event("Command__c", "UNSUPPRESS_RECORD", "Record_Id__c", LEAD,
                    "Reason__c", "BECAUSE")))).satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_VALUE));
            assertThat(rejection(() -> deliver(event("Command__c", "UNSUPPRESS_RECORD"))))
                    .satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.MISSING_FIELD));
        }

        @Test
        void aBroadcastWithoutText() {
            assertThat(rejection(() -> deliver(event("Command__c", "BROADCAST"))))
                    .satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.MISSING_FIELD))
                    .hasMessageContaining("Reason__c");
        }

        @Test
        void anEventWithoutCreatedDateOrReplayId() {
            PlatformEvent undated = new PlatformEvent(null, USER_15);
            undated.set("Command__c", "BROADCAST");
            undated.set("Reason__c", "hello");

            assertThat(rejection(() -> deliver(undated))).hasMessageContaining("CreatedDate");
            assertThatThrownBy(() -> CamelShapedInput.platformEvent(mapper, event("Command__c", "BROADCAST", "Reason__c", "hi"), null, CHANNEL))
                    .isInstanceOfSatisfying(MappingException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.MISSING_FIELD));
        }
    }
}
