package io.dialerbridge.command;

import static io.dialerbridge.command.EventFixtures.CONTACT;
import static io.dialerbridge.command.EventFixtures.CONTACT_2;
import static io.dialerbridge.command.EventFixtures.CONTACT_3;
import static io.dialerbridge.command.EventFixtures.LEAD;
import static io.dialerbridge.command.EventFixtures.ORG;
import static io.dialerbridge.command.EventFixtures.map;
import static io.dialerbridge.command.EventFixtures.phone;
import static io.dialerbridge.command.EventFixtures.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.dialerbridge.command.MappingException.Reason;
import io.dialerbridge.command.phone.PhoneNormalizer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ChangeEventMapperTest {

    private static final String CONTACTS = "/data/ContactChangeEvent";
    private static final String LEADS = "/data/LeadChangeEvent";
    private static final long COMMIT_TIMESTAMP = 1708828037000L;
    private static final long REPLAY_ID = 15529385L;

    private final MappingRules rules = new MappingRules();
    private final PhoneNormalizer phones = new PhoneNormalizer("US");
    private final ChangeEventMapper mapper = new ChangeEventMapper(rules, phones);

    /** A Contact CREATE body as camel delivers it: ChangeEventHeader removed, empty fields left out. */
    private final Map<String, Object> createdContact = map(
            "LastModifiedDate", "2024-02-25T02:27:17.000Z",
            "OwnerId", "005Hs00000BkK19IAF",
            "CreatedById", "005Hs00000BkK19IAF",
            "Name", map("FirstName", "Grace", "LastName", "Hopper"),
            "Phone", "(415) 555-0134",
            "Email", "grace@example.com",
            "DoNotCall", false,
            "CreatedDate", "2024-02-25T02:27:17.000Z",
            "LastModifiedById", "005Hs00000BkK19IAF");

    private List<DialerCommand> deliver(String channel, String entity, String changeType, Object recordIds,
            Map<String, Object> body) {
        return CamelShapedInput.change(mapper, body, changeType, entity, recordIds, COMMIT_TIMESTAMP, REPLAY_ID, channel);
    }

    private List<DialerCommand> contact(String changeType, Map<String, Object> body) {
        return deliver(CONTACTS, "Contact", changeType, List.of(CONTACT), body);
    }

    private List<DialerCommand> lead(String changeType, Map<String, Object> body) {
        return deliver(LEADS, "Lead", changeType, new Object[] {LEAD}, body);
    }

    private static Map<String, Object> updated(Object... changes) {
        return with(map("LastModifiedDate", "2024-02-25T03:00:00.000Z"), changes);
    }

    @Nested
    class Create {

        @Test
        void upsertsTheWholeContactAndClearsWhatTheBodyLeavesOut() {
            assertThat(contact("CREATE", createdContact)).singleElement().satisfies(command -> {
                assertThat(command.type()).isEqualTo(CommandType.CONTACT_UPSERT);
                assertThat(command.data()).containsExactlyEntriesOf(map(
                        "recordId", CONTACT,
                        "recordType", "Contact",
                        "firstName", "Grace",
                        "lastName", "Hopper",
                        "email", "grace@example.com",
                        "ownerId", "005Hs00000BkK19IAF",
                        "phones", map("Phone", phone("+14155550134", "(415) 555-0134"), "MobilePhone", null)));
            });
        }

        @Test
        void carriesTheCloudEventEnvelope() {
            DialerCommand command = contact("CREATE", createdContact).get(0);

            assertThat(command.key()).isEqualTo(CONTACT);
            assertThat(command.time()).isEqualTo(Instant.ofEpochMilli(COMMIT_TIMESTAMP));
            assertThat(command.kafkaHeaders()).containsExactly(
                    entry("ce_specversion", "1.0"),
                    entry("ce_id", "/data/ContactChangeEvent:15529385"),
                    entry("ce_source", "/salesforce/00D000000000001AAA/data/ContactChangeEvent"),
                    entry("ce_type", "dialer.contact.upsert"),
                    entry("ce_subject", CONTACT),
                    entry("ce_time", "2024-02-25T02:27:17Z"),
                    entry("content-type", "application/json"));
        }

        @Test
        void suppressesInsteadOfUpsertingWhenDoNotCall() {
            assertThat(contact("CREATE", with(createdContact, "DoNotCall", true))).singleElement()
                    .satisfies(command -> {
                        assertThat(command.type()).isEqualTo(CommandType.CONTACT_SUPPRESS);
                        assertThat(command.data()).containsExactly(
                                entry("recordId", CONTACT),
                                entry("phones", List.of("+14155550134")),
                                entry("scope", "CONTACT"),
                                entry("reason", "SALESFORCE_DNC"),
                                entry("reasons", List.of("SALESFORCE_DNC")),
                                entry("requestedAt", "2024-02-25T02:27:17Z"));
                    });
        }

        @Test
        void givesALeadItsStatus() {
            Map<String, Object> body = map("Name", map("LastName", "Lovelace"), "Status", "Open - Not Contacted",
                    "MobilePhone", "650-253-0000");

            assertThat(lead("CREATE", body)).singleElement().extracting(DialerCommand::data)
                    .isEqualTo(map(
                            "recordId", LEAD,
                            "recordType", "Lead",
                            "firstName", null,
                            "lastName", "Lovelace",
                            "email", null,
                            "status", "Open - Not Contacted",
                            "ownerId", null,
                            "phones", map("Phone", null, "MobilePhone", phone("+16502530000", "650-253-0000"))));
        }
    }

    @Nested
    class Update {

        @Test
        void isAMergePatchOfTheChangedFieldsWhereNullClears() {
            Map<String, Object> body = updated("Name", map("LastName", "Hopper-Murray"), "Email", null);

            assertThat(contact("UPDATE", body)).singleElement().satisfies(command -> {
                assertThat(command.type()).isEqualTo(CommandType.CONTACT_UPSERT);
                assertThat(command.id()).isEqualTo("/data/ContactChangeEvent:15529385");
                assertThat(command.data()).containsExactlyEntriesOf(map(
                        "recordId", CONTACT,
                        "recordType", "Contact",
                        "lastName", "Hopper-Murray",
                        "email", null,
                        "changedFields", List.of("lastName", "email")));
            });
        }

        @Test
        void clearsAPhoneAndNamesItByItsSalesforceField() {
            Map<String, Object> body = updated("MobilePhone", null, "OwnerId", "005Hs00000BkK1AIAV");

            assertThat(contact("UPDATE", body).get(0).data()).containsExactlyEntriesOf(map(
                    "recordId", CONTACT,
                    "recordType", "Contact",
                    "ownerId", "005Hs00000BkK1AIAV",
                    "phones", map("MobilePhone", null),
                    "changedFields", List.of("ownerId", "MobilePhone")));
        }

        @Test
        void yieldsNothingWhenNothingTheDialerKeepsChanged() {
            assertThat(contact("UPDATE", updated("Description", "met at the fair"))).isEmpty();
            assertThat(contact("UPDATE", updated())).isEmpty();
        }

        @Test
        void suppressesWithoutUpsertWhenDoNotCallAndThePhoneChangeTogether() {
            Map<String, Object> body = updated("DoNotCall", true, "Phone", "+1 (650) 253-0000");

            assertThat(contact("UPDATE", body)).singleElement().satisfies(command -> {
                assertThat(command.type()).isEqualTo(CommandType.CONTACT_SUPPRESS);
                assertThat(command.data()).containsEntry("phones", List.of("+16502530000"))
                        .containsEntry("reason", "SALESFORCE_DNC");
            });
        }

        @Test
        void unsuppressesThenUpsertsTheOtherChangesWhenDoNotCallIsCleared() {
            List<DialerCommand> commands = contact("UPDATE", updated("DoNotCall", false, "Phone", "415 555 0134"));

            assertThat(commands).extracting(DialerCommand::type)
                    .containsExactly(CommandType.CONTACT_UNSUPPRESS, CommandType.CONTACT_UPSERT);
            assertThat(commands).extracting(DialerCommand::id).containsExactly(
                    "/data/ContactChangeEvent:15529385", "/data/ContactChangeEvent:15529385:contact.upsert");
            assertThat(commands.get(0).data()).containsExactly(entry("recordId", CONTACT),
                    entry("reason", "SALESFORCE_DNC"), entry("reasons", List.of("SALESFORCE_DNC")),
                    entry("requestedAt", "2024-02-25T02:27:17Z"));
            assertThat(commands.get(1).data()).containsExactlyEntriesOf(map(
                    "recordId", CONTACT,
                    "recordType", "Contact",
                    "phones", map("Phone", phone("+14155550134", "415 555 0134")),
                    "changedFields", List.of("Phone")));
        }

        @Test
        void onlyUnsuppressesWhenDoNotCallIsTheOnlyChange() {
            assertThat(contact("UPDATE", updated("DoNotCall", false))).extracting(DialerCommand::type)
                    .containsExactly(CommandType.CONTACT_UNSUPPRESS);
        }

        @Test
        void sendsAnUnreadablePhoneRawAndCountsIt() {
            long before = phones.unparsableCount();

            assertThat(contact("UPDATE", updated("Phone", "ext 12 only")).get(0).data())
                    .containsEntry("phones", map("Phone", phone(null, "ext 12 only")));
            assertThat(phones.unparsableCount()).isEqualTo(before + 1);
        }

        @Test
        void followsTheLeadStatusRules() {
            assertThat(lead("UPDATE", updated("Status", "Closed - Not Converted"))).singleElement()
                    .satisfies(command -> {
                        assertThat(command.type()).isEqualTo(CommandType.CONTACT_REMOVE);
                        assertThat(command.data()).containsExactly(entry("recordId", LEAD), entry("reason", "STATUS"));
                    });
            assertThat(lead("UPDATE", updated("Status", "Do Not Call"))).singleElement().satisfies(command -> {
                assertThat(command.type()).isEqualTo(CommandType.CONTACT_SUPPRESS);
                assertThat(command.data()).containsEntry("reason", "STATUS").containsEntry("phones", List.of());
            });
            // A status that no longer means Do Not Call lifts the STATUS reason, and only that one.
            List<DialerCommand> working = lead("UPDATE", updated("Status", "Working - Contacted"));
            assertThat(working).extracting(DialerCommand::type)
                    .containsExactly(CommandType.CONTACT_UNSUPPRESS, CommandType.CONTACT_UPSERT);
            assertThat(working.get(0).data()).containsEntry("reasons", List.of("STATUS"));
            assertThat(working.get(1).data()).isEqualTo(map("recordId", LEAD, "recordType", "Lead",
                    "status", "Working - Contacted", "changedFields", List.of("status")));
        }

        @Test
        void removesAConvertedLead() {
            Map<String, Object> body = updated("IsConverted", true, "ConvertedContactId", CONTACT,
                    "Status", "Closed - Converted");

            assertThat(lead("UPDATE", body)).singleElement().satisfies(command -> {
                assertThat(command.type()).isEqualTo(CommandType.CONTACT_REMOVE);
                assertThat(command.data()).containsExactly(entry("recordId", LEAD), entry("reason", "CONVERTED"),
                        entry(DialerCommand.CONVERTED_TO, CONTACT));
            });
        }

        @Test
        void trustsChangedFieldsWhenTheyAreKnown() {
            // A Pub/Sub-shaped body: every field present, unchanged ones null.
            Map<String, Object> body = map("Name", map("Salutation", null, "FirstName", null, "LastName", "Murray"),
                    "Email", null, "Phone", null, "DoNotCall", null, "LastModifiedDate", "2024-02-25T03:00:00Z");
            ChangeEvent event = new ChangeEvent("UPDATE", "Contact", List.of(CONTACT),
                    List.of("LastModifiedDate", "Name.LastName"), body,
                    new EventOrigin(ORG, CONTACTS, REPLAY_ID, Instant.ofEpochMilli(COMMIT_TIMESTAMP)));

            assertThat(mapper.commands(event)).singleElement().extracting(DialerCommand::data).isEqualTo(map(
                    "recordId", CONTACT, "recordType", "Contact", "lastName", "Murray",
                    "changedFields", List.of("lastName")));
        }
    }

    @Nested
    class DeleteAndUndelete {

        @Test
        void removesADeletedContact() {
            assertThat(contact("DELETE", map())).singleElement().satisfies(command -> {
                assertThat(command.type()).isEqualTo(CommandType.CONTACT_REMOVE);
                assertThat(command.id()).isEqualTo("/data/ContactChangeEvent:15529385");
                assertThat(command.data()).containsExactly(entry("recordId", CONTACT), entry("reason", "DELETED"));
            });
        }

        @Test
        void unsuppressesAndUpsertsAnUndeletedContact() {
            List<DialerCommand> commands = contact("UNDELETE", createdContact);

            assertThat(commands).extracting(DialerCommand::type)
                    .containsExactly(CommandType.CONTACT_UNSUPPRESS, CommandType.CONTACT_UPSERT);
            assertThat(commands.get(1).data()).containsEntry("firstName", "Grace")
                    .containsEntry("phones", map("Phone", phone("+14155550134", "(415) 555-0134"),
                            "MobilePhone", null))
                    .doesNotContainKey("changedFields");
        }
    }

    @Nested
    class FanOut {

        private final Object[] recordIds = {CONTACT, CONTACT_2, CONTACT_3};

        @Test
        void givesEachRecordItsOwnCommandsAndIds() {
            List<DialerCommand> commands = deliver(CONTACTS, "Contact", "UPDATE", recordIds,
                    updated("Email", "team@example.com"));

            assertThat(commands).extracting(DialerCommand::key).containsExactly(CONTACT, CONTACT_2, CONTACT_3);
            assertThat(commands).extracting(DialerCommand::id).containsExactly(
                    "/data/ContactChangeEvent:15529385:0035f00000AbCdEAAV",
                    "/data/ContactChangeEvent:15529385:0035f00000AbCdFAAV",
                    "/data/ContactChangeEvent:15529385:0035f00000AbCdGAAV");
            assertThat(commands).extracting(command -> command.data().get("email"))
                    .containsOnly("team@example.com");
        }

        @Test
        void keepsIdsUniqueWhenEachRecordGetsTwoCommands() {
            List<DialerCommand> commands = deliver(CONTACTS, "Contact", "UPDATE", List.of(CONTACT, CONTACT_2),
                    updated("DoNotCall", false, "Email", "team@example.com"));

            assertThat(commands).extracting(DialerCommand::id).containsExactly(
                    "/data/ContactChangeEvent:15529385:0035f00000AbCdEAAV",
                    "/data/ContactChangeEvent:15529385:0035f00000AbCdEAAV:contact.upsert",
                    "/data/ContactChangeEvent:15529385:0035f00000AbCdFAAV",
                    "/data/ContactChangeEvent:15529385:0035f00000AbCdFAAV:contact.upsert");
        }

        @Test
        void yieldsTheSameIdsWhenTheEventIsRedelivered() {
            Map<String, Object> body = updated("DoNotCall", true);

            assertThat(deliver(CONTACTS, "Contact", "UPDATE", recordIds, body))
                    .isEqualTo(deliver(CONTACTS, "Contact", "UPDATE", List.of(recordIds), body));
        }

        @Test
        void removesEveryDeletedRecord() {
            assertThat(deliver(CONTACTS, "Contact", "DELETE", recordIds, map()))
                    .extracting(DialerCommand::type, DialerCommand::subject)
                    .containsExactly(
                            tuple(CommandType.CONTACT_REMOVE, CONTACT),
                            tuple(CommandType.CONTACT_REMOVE, CONTACT_2),
                            tuple(CommandType.CONTACT_REMOVE, CONTACT_3));
        }
    }

    @Nested
    class GapRefetch {

        private final Map<String, Object> restContact = map(
                "attributes", map("type", "Contact", "url", "/services/data/v60.0/sobjects/Contact/" + CONTACT),
                "Id", CONTACT,
                "FirstName", "Grace",
                "LastName", "Hopper",
                "Email", null,
                "Phone", "(415) 555-0134",
                "MobilePhone", null,
                "DoNotCall", false);

        @Test
        void recognisesGapAndOverflowEvents() {
            assertThat(ChangeEventMapper.isGap("GAP_UPDATE")).isTrue();
            assertThat(ChangeEventMapper.isGap("GAP_OVERFLOW")).isTrue();
            assertThat(ChangeEventMapper.isGap("UPDATE")).isFalse();
            assertThat(ChangeEventMapper.isGap(null)).isFalse();
            assertThat(ChangeEventMapper.isOverflow("GAP_OVERFLOW")).isTrue();
            assertThat(ChangeEventMapper.isOverflow("GAP_CREATE")).isFalse();
        }

        @Test
        void refusesToMapAGapEventItself() {
            assertThatThrownBy(() -> contact("GAP_UPDATE", map()))
                    .isInstanceOfSatisfying(MappingException.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_EVENT);
                        assertThat(e).hasMessageContaining("refetch");
                    });
        }

        @Test
        void mapsARefetchedRecordAsAFullUpsertThatUnsuppresses() {
            List<DialerCommand> commands = CamelShapedInput.snapshot(mapper, restContact, "Contact", List.of(CONTACT),
                    COMMIT_TIMESTAMP, REPLAY_ID, CONTACTS);

            assertThat(commands).extracting(DialerCommand::type)
                    .containsExactly(CommandType.CONTACT_UNSUPPRESS, CommandType.CONTACT_UPSERT);
            assertThat(commands.get(1).data()).containsExactlyEntriesOf(map(
                    "recordId", CONTACT,
                    "recordType", "Contact",
                    "firstName", "Grace",
                    "lastName", "Hopper",
                    "email", null,
                    "phones", map("Phone", phone("+14155550134", "(415) 555-0134"), "MobilePhone", null)));
        }

        @Test
        void takesTheEntityFromTheRecordAndFansOutLikeTheGapEvent() {
            List<DialerCommand> commands = mapper.snapshotCommands(with(restContact, "DoNotCall", true), null, true,
                    new EventOrigin(ORG, CONTACTS, REPLAY_ID, Instant.ofEpochMilli(COMMIT_TIMESTAMP)));

            assertThat(commands).singleElement().satisfies(command -> {
                assertThat(command.type()).isEqualTo(CommandType.CONTACT_SUPPRESS);
                assertThat(command.id()).isEqualTo("/data/ContactChangeEvent:15529385:0035f00000AbCdEAAV");
            });
        }

        @Test
        void removesARecordThatIsGone() {
            assertThat(CamelShapedInput.recordGone(mapper, CONTACT_2, new Object[] {CONTACT, CONTACT_2}, COMMIT_TIMESTAMP,
                    REPLAY_ID, CONTACTS)).singleElement().satisfies(command -> {
                        assertThat(command.type()).isEqualTo(CommandType.CONTACT_REMOVE);
                        assertThat(command.id()).isEqualTo("/data/ContactChangeEvent:15529385:0035f00000AbCdFAAV");
                        assertThat(command.data()).containsExactly(entry("recordId", CONTACT_2),
                                entry("reason", "DELETED"));
                    });
        }
    }

    @Nested
    class Rejections {

        @Test
        void anotherEntity() {
            assertThatThrownBy(() -> deliver("/data/AccountChangeEvent", "Account", "UPDATE", List.of(CONTACT),
                    updated())).isInstanceOfSatisfying(MappingException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_EVENT));
        }

        @Test
        void aRecordIdOfTheWrongObject() {
            assertThatThrownBy(() -> deliver(CONTACTS, "Contact", "UPDATE", List.of(LEAD), updated()))
                    .isInstanceOfSatisfying(MappingException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_ID));
        }

        @Test
        void missingHeaders() {
            assertThatThrownBy(() -> CamelShapedInput.change(mapper, updated(), "UPDATE", "Contact", List.of(CONTACT), null, REPLAY_ID,
                    CONTACTS)).isInstanceOfSatisfying(MappingException.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.MISSING_FIELD);
                        assertThat(e).hasMessageContaining("CamelSalesforceCommitTimestamp");
                    });
            assertThatThrownBy(() -> CamelShapedInput.change(mapper, updated(), "UPDATE", "Contact", null, COMMIT_TIMESTAMP, REPLAY_ID,
                    CONTACTS)).isInstanceOfSatisfying(MappingException.class,
                            e -> assertThat(e).hasMessageContaining("CamelSalesforceRecordIds"));
            assertThatThrownBy(() -> CamelShapedInput.change(mapper, updated(), null, "Contact", List.of(CONTACT), COMMIT_TIMESTAMP,
                    REPLAY_ID, CONTACTS)).isInstanceOfSatisfying(MappingException.class,
                            e -> assertThat(e).hasMessageContaining("ChangeEventHeader.changeType"));
        }
    }
}
