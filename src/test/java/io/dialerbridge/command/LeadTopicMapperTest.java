package io.dialerbridge.command;

import static io.dialerbridge.command.EventFixtures.LEAD;
import static io.dialerbridge.command.EventFixtures.LEAD_15;
import static io.dialerbridge.command.EventFixtures.map;
import static io.dialerbridge.command.EventFixtures.phone;
import static io.dialerbridge.command.EventFixtures.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.dialerbridge.command.MappingException.Reason;
import io.dialerbridge.command.phone.PhoneNormalizer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class LeadTopicMapperTest {

    private static final String CHANNEL = "/topic/DialerLeads";
    private static final String CREATED_DATE = "2016-03-29T16:40:08.208Z";

    private final MappingRules rules = new MappingRules();
    private final PhoneNormalizer phones = new PhoneNormalizer("US");
    private final LeadTopicMapper mapper = new LeadTopicMapper(rules, phones);

    /** Every field of the default query, as the PushTopic sends it: nulls included. */
    private final Map<String, Object> lead = map(
            "Id", LEAD,
            "FirstName", "Ada",
            "LastName", "Lovelace",
            "Phone", "(415) 555-0134",
            "MobilePhone", null,
            "Email", "ada@example.com",
            "Status", "Open - Not Contacted",
            "DoNotCall", false,
            "IsConverted", false);

    private List<DialerCommand> deliver(String eventType, Map<String, Object> sobject) {
        return CamelShapedInput.lead(mapper, eventType, sobject, 13L, CREATED_DATE, CHANNEL);
    }

    private static Map<String, Object> fullUpsert() {
        return map(
                "recordId", LEAD,
                "recordType", "Lead",
                "firstName", "Ada",
                "lastName", "Lovelace",
                "email", "ada@example.com",
                "status", "Open - Not Contacted",
                "phones", map("Phone", phone("+14155550134", "(415) 555-0134"), "MobilePhone", null));
    }

    @Nested
    class Created {

        @Test
        void upsertsTheWholeRecordWithoutUnsuppressing() {
            List<DialerCommand> commands = deliver("created", lead);

            assertThat(commands).singleElement().satisfies(command -> {
                assertThat(command.type()).isEqualTo(CommandType.CONTACT_UPSERT);
                assertThat(command.data()).containsExactlyEntriesOf(fullUpsert());
            });
        }

        @Test
        void carriesTheCloudEventEnvelope() {
            DialerCommand command = deliver("created", lead).get(0);

            assertThat(command.topic()).isEqualTo(CommandTopic.CONTACT_COMMANDS);
            assertThat(command.key()).isEqualTo(LEAD);
            assertThat(command.time()).isEqualTo(Instant.parse(CREATED_DATE));
            assertThat(command.kafkaHeaders()).containsExactly(
                    entry("ce_specversion", "1.0"),
                    entry("ce_id", "/topic/DialerLeads:13"),
                    entry("ce_source", "/salesforce/00D000000000001AAA/topic/DialerLeads"),
                    entry("ce_type", "dialer.contact.upsert"),
                    entry("ce_subject", LEAD),
                    entry("ce_time", "2016-03-29T16:40:08.208Z"),
                    entry("content-type", "application/json"));
        }

        @Test
        void sendsOnlyTheFieldsTheQuerySelects() {
            Map<String, Object> narrow = map("Id", LEAD, "MobilePhone", "650 253 0000", "DoNotCall", false);

            assertThat(deliver("created", narrow)).singleElement().extracting(DialerCommand::data)
                    .isEqualTo(map("recordId", LEAD, "recordType", "Lead",
                            "phones", map("MobilePhone", phone("+16502530000", "650 253 0000"))));
        }
    }

    @Nested
    class Updated {

        @Test
        void liftsDoNotCallAndTheStatusBeforeTheUpsertWhenNeitherMeansDoNotCall() {
            List<DialerCommand> commands = deliver("updated", lead);

            assertThat(commands).extracting(DialerCommand::type)
                    .containsExactly(CommandType.CONTACT_UNSUPPRESS, CommandType.CONTACT_UPSERT);
            assertThat(commands).extracting(DialerCommand::id)
                    .containsExactly("/topic/DialerLeads:13", "/topic/DialerLeads:13:contact.upsert");
            assertThat(commands.get(0).data()).containsExactly(entry("recordId", LEAD),
                    entry("reason", "SALESFORCE_DNC"), entry("reasons", List.of("SALESFORCE_DNC", "STATUS")),
                    entry("requestedAt", "2016-03-29T16:40:08.208Z"));
            assertThat(commands.get(1).data()).containsExactlyEntriesOf(fullUpsert());
        }

        @Test
        void liftsOnlyTheStatusReasonWhenTheQueryLeavesOutDoNotCall() {
            Map<String, Object> withoutDoNotCall = with(lead);
            withoutDoNotCall.remove("DoNotCall");

            List<DialerCommand> commands = deliver("updated", withoutDoNotCall);

            assertThat(commands).extracting(DialerCommand::type)
                    .containsExactly(CommandType.CONTACT_UNSUPPRESS, CommandType.CONTACT_UPSERT);
            assertThat(commands.get(0).data()).containsEntry("reasons", List.of("STATUS"));
        }

        @Test
        void suppressesOnDoNotCallWithTheDialablePhonesAndNoUpsertThenLiftsTheStatusReason() {
            Map<String, Object> dnc = with(lead, "DoNotCall", true, "MobilePhone", "+1 650 253 0000");

            List<DialerCommand> commands = deliver("updated", dnc);

            assertThat(commands).extracting(DialerCommand::type)
                    .containsExactly(CommandType.CONTACT_SUPPRESS, CommandType.CONTACT_UNSUPPRESS);
            assertThat(commands.get(0).id()).isEqualTo("/topic/DialerLeads:13");
            assertThat(commands.get(0).data()).containsExactly(
                    entry("recordId", LEAD),
                    entry("phones", List.of("+14155550134", "+16502530000")),
                    entry("scope", "CONTACT"),
                    entry("reason", "SALESFORCE_DNC"),
                    entry("reasons", List.of("SALESFORCE_DNC")),
                    entry("requestedAt", "2016-03-29T16:40:08.208Z"));
            assertThat(commands.get(1).data()).containsEntry("reasons", List.of("STATUS"));
        }

        @Test
        void suppressesOnADoNotCallStatus() {
            List<DialerCommand> commands = deliver("updated", with(lead, "Status", "Do Not Call"));

            assertThat(commands).extracting(DialerCommand::type)
                    .containsExactly(CommandType.CONTACT_SUPPRESS, CommandType.CONTACT_UNSUPPRESS);
            assertThat(commands.get(0).data()).containsEntry("reason", "STATUS");
            assertThat(commands.get(1).data()).containsEntry("reasons", List.of("SALESFORCE_DNC"));
        }

        @Test
        void recordsBothReasonsWhenDoNotCallAndTheStatusBothSayDoNotCall() {
            assertThat(deliver("updated", with(lead, "Status", "Do Not Call", "DoNotCall", true))).singleElement()
                    .satisfies(command -> assertThat(command.data())
                            .containsEntry("reasons", List.of("SALESFORCE_DNC", "STATUS")));
        }

        @Test
        void removesOnAStatusThatEndsCalling() {
            assertThat(deliver("updated", with(lead, "Status", "Unqualified"))).singleElement().satisfies(command -> {
                assertThat(command.type()).isEqualTo(CommandType.CONTACT_REMOVE);
                // The stated phones are for the guard only: it strips them before the remove leaves.
                assertThat(command.data()).containsExactly(entry("recordId", LEAD), entry("reason", "STATUS"),
                        entry(DialerCommand.STATED_PHONES, map("Phone", phone("+14155550134", "(415) 555-0134"),
                                "MobilePhone", null)));
            });
        }

        @Test
        void removesAConvertedLead() {
            assertThat(deliver("updated", with(lead, "IsConverted", true, "Status", "Closed - Converted")))
                    .singleElement().satisfies(command -> {
                        assertThat(command.type()).isEqualTo(CommandType.CONTACT_REMOVE);
                        assertThat(command.data()).containsEntry("recordId", LEAD)
                                .containsEntry("reason", "CONVERTED").containsKey(DialerCommand.STATED_PHONES);
                    });
        }

        @Test
        void suppressesThenRemovesWhenBothApply() {
            List<DialerCommand> commands = deliver("updated", with(lead, "DoNotCall", true, "IsConverted", true));

            assertThat(commands).extracting(DialerCommand::type).containsExactly(CommandType.CONTACT_SUPPRESS,
                    CommandType.CONTACT_UNSUPPRESS, CommandType.CONTACT_REMOVE);
            assertThat(commands).extracting(DialerCommand::id).containsExactly("/topic/DialerLeads:13",
                    "/topic/DialerLeads:13:contact.unsuppress", "/topic/DialerLeads:13:contact.remove");
            assertThat(commands.get(2).data()).containsEntry("reason", "CONVERTED");
        }

        @Test
        void sendsAnUnreadablePhoneRawWithANullE164() {
            long before = phones.unparsableCount();

            List<DialerCommand> commands = deliver("updated", with(lead, "Phone", "ask reception", "DoNotCall", true));

            assertThat(commands.get(0).data()).containsEntry("phones", List.of());
            assertThat(deliver("updated", with(lead, "Phone", "ask reception")).get(1).data())
                    .containsEntry("phones", map("Phone", phone(null, "ask reception"), "MobilePhone", null));
            assertThat(phones.unparsableCount()).isEqualTo(before + 2);
        }
    }

    @Nested
    class DeletedAndUndeleted {

        @Test
        void removesADeletedLead() {
            assertThat(deliver("deleted", lead)).singleElement().satisfies(command -> {
                assertThat(command.type()).isEqualTo(CommandType.CONTACT_REMOVE);
                assertThat(command.data()).containsExactly(entry("recordId", LEAD), entry("reason", "DELETED"));
            });
        }

        @Test
        void unsuppressesAndUpsertsAnUndeletedLead() {
            assertThat(deliver("undeleted", lead)).extracting(DialerCommand::type)
                    .containsExactly(CommandType.CONTACT_UNSUPPRESS, CommandType.CONTACT_UPSERT);
        }
    }

    @Nested
    class WireVariants {

        @Test
        void acceptsAnOldStyleOffsetAnIntegerReplayIdAndA15CharacterId() {
            List<DialerCommand> commands = CamelShapedInput.lead(mapper, "Created", with(lead, "Id", LEAD_15), 13,
                    "2016-03-29T16:40:08.208+0000", CHANNEL);

            assertThat(commands).singleElement().satisfies(command -> {
                assertThat(command.key()).isEqualTo(LEAD);
                assertThat(command.id()).isEqualTo("/topic/DialerLeads:13");
                assertThat(command.time()).isEqualTo(Instant.parse(CREATED_DATE));
            });
        }

        @Test
        void honoursConfiguredStatusesIgnoringCase() {
            rules.setRemoveStatuses(List.of("Nurture"));

            assertThat(deliver("updated", with(lead, "Status", " nurture "))).extracting(DialerCommand::type)
                    .containsExactly(CommandType.CONTACT_REMOVE);
            assertThat(deliver("updated", with(lead, "Status", "Unqualified"))).extracting(DialerCommand::type)
                    .containsExactly(CommandType.CONTACT_UNSUPPRESS, CommandType.CONTACT_UPSERT);
        }
    }

    @Nested
    class Rejections {

        @Test
        void anUnknownEventType() {
            assertThatThrownBy(() -> deliver("merged", lead))
                    .isInstanceOfSatisfying(MappingException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_EVENT));
        }

        @Test
        void aMissingOrMalformedId() {
            Map<String, Object> noId = with(lead);
            noId.remove("Id");

            assertThatThrownBy(() -> deliver("created", noId)).isInstanceOfSatisfying(MappingException.class,
                    e -> assertThat(e.reason()).isEqualTo(Reason.MISSING_FIELD));
            assertThatThrownBy(() -> deliver("created", with(lead, "Id", "00Q5f000004XyZaAAA")))
                    .isInstanceOfSatisfying(MappingException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_ID));
            assertThatThrownBy(() -> deliver("created", with(lead, "Id", "7015f000000AbCdAAK")))
                    .isInstanceOfSatisfying(MappingException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_ID));
        }

        @Test
        void anEventWithoutReplayIdOrDate() {
            assertThatThrownBy(() -> CamelShapedInput.lead(mapper, "created", lead, null, CREATED_DATE, CHANNEL))
                    .isInstanceOfSatisfying(MappingException.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.MISSING_FIELD);
                        assertThat(e).hasMessageContaining("no replay id");
                    });
            assertThatThrownBy(() -> CamelShapedInput.lead(mapper, "created", lead, 13L, null, CHANNEL))
                    .isInstanceOfSatisfying(MappingException.class,
                            e -> assertThat(e).hasMessageContaining("CamelSalesforceCreatedDate"));
        }

        @Test
        void aDoNotCallThatIsNotABoolean() {
            assertThatThrownBy(() -> deliver("updated", with(lead, "DoNotCall", "maybe")))
                    .isInstanceOfSatisfying(MappingException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_VALUE));
        }
    }
}
