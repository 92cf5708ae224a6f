package io.dialerbridge.command;

import static io.dialerbridge.command.EventFixtures.CAMPAIGN;
import static io.dialerbridge.command.EventFixtures.CONTACT;
import static io.dialerbridge.command.EventFixtures.CONTACT_2;
import static io.dialerbridge.command.EventFixtures.MEMBER;
import static io.dialerbridge.command.EventFixtures.MEMBER_2;
import static io.dialerbridge.command.EventFixtures.MEMBER_3;
import static io.dialerbridge.command.EventFixtures.ORG;
import static io.dialerbridge.command.EventFixtures.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.dialerbridge.command.phone.PhoneNormalizer;
import io.dialerbridge.salesforce.SalesforceCallRetries;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** When a suppression lifts, the person's current state from Salesforce follows the unsuppress. */
class SuppressionLiftsTest {

    private static final String CONTACTS = "/data/ContactChangeEvent";
    private static final Instant TIME = Instant.parse("2024-02-25T02:27:17Z");
    private static final CamelContext CAMEL = new DefaultCamelContext();

    private final SalesforceEventMapperTest.CannedRecords records = new SalesforceEventMapperTest.CannedRecords();
    private final CampaignMembershipIndex memberships = new InMemoryCampaignMembershipIndex();
    private final MappingRules rules = new MappingRules();
    /** What the guard answers: whom each unsuppress (by id) would make callable now. */
    private final Map<String, List<String>> restoredBy = new HashMap<>();
    /** What the guard answers: the numbers it knows of each person. */
    private final Map<String, List<String>> knownNumbers = new HashMap<>();
    private final SuppressionLifts lifts = new SuppressionLifts(
            unsuppress -> restoredBy.getOrDefault(unsuppress.id(), List.of()),
            person -> knownNumbers.getOrDefault(person, List.of()), records, rules,
            new ChangeEventMapper(rules, new PhoneNormalizer("US")), memberships,
            new SalesforceCallRetries(Duration.ZERO, Duration.ZERO, () -> false));

    @AfterAll
    static void closeCamel() throws Exception {
        CAMEL.close();
    }

    private static DialerCommand command(CommandType type, String person, String id, Map<String, Object> data) {
        return new DialerCommand(type, person, id, "/salesforce/" + ORG + CONTACTS, person, TIME, data);
    }

    private static DialerCommand unsuppress(String person, String id) {
        return command(CommandType.CONTACT_UNSUPPRESS, person, id, map("recordId", person,
                "reason", "SALESFORCE_DNC", "reasons", List.of("SALESFORCE_DNC"), "requestedAt", TIME.toString()));
    }

    private static Map<String, Object> contact(String id, String phone, boolean doNotCall) {
        return map("attributes", map("type", "Contact"), "Id", id, "FirstName", "Grace", "LastName", "Hopper",
                "Email", null, "OwnerId", null, "Phone", phone, "MobilePhone", null, "DoNotCall", doNotCall);
    }

    @Nested
    class WhenTheLastReasonLifts {

        @Test
        void theCurrentRecordAndItsCampaignsFollowTheEventsCommands() {
            DialerCommand lift = unsuppress(CONTACT, CONTACTS + ":7");
            restoredBy.put(lift.id(), List.of(CONTACT));
            records.byId.put(CONTACT, contact(CONTACT, "+1 650 253 0000", false));
            memberships.remember(MEMBER, new CampaignMembership(CONTACT, CAMPAIGN, "Sent"));
            memberships.remember(MEMBER_2, new CampaignMembership(CONTACT, "7015f000000AbCeAAK", "Opted Out"));
            memberships.remember(MEMBER_3, new CampaignMembership(CONTACT_2, CAMPAIGN, "Sent"));

            List<DialerCommand> commands = lifts.restore(List.of(lift));

            assertThat(records.calls).containsExactly("fetch Contact " + CONTACT + " " + List.of("Id", "FirstName",
                    "LastName", "Email", "OwnerId", "Phone", "MobilePhone", "DoNotCall"));
            assertThat(commands).extracting(command -> command.type().ceType(), DialerCommand::id).containsExactly(
                    tuple("dialer.contact.unsuppress", CONTACTS + ":7"),
                    tuple("dialer.contact.upsert", CONTACTS + ":7:restore:" + CONTACT + ":contact.upsert"),
                    tuple("dialer.campaign-member.add", CONTACTS + ":7:restore:" + MEMBER));
            DialerCommand upsert = commands.get(1);
            assertThat(upsert.data()).doesNotContainKey("changedFields").containsEntry("firstName", "Grace");
            assertThat(upsert.data().get("phones")).isEqualTo(map("Phone",
                    map("e164", "+16502530000", "raw", "+1 650 253 0000"), "MobilePhone", null));
            assertThat(upsert.source()).isEqualTo(lift.source());
            assertThat(upsert.time()).isEqualTo(lift.time());
            assertThat(commands.get(2).data()).isEqualTo(map("recordId", CONTACT, "campaignId", CAMPAIGN,
                    "memberStatus", "Sent"));
        }

        @Test
        void whoeverTheLiftFreesANumberOfIsRestoredToo() {
            DialerCommand lift = unsuppress(CONTACT, CONTACTS + ":10");
            restoredBy.put(lift.id(), List.of(CONTACT, CONTACT_2));
            records.byId.put(CONTACT, contact(CONTACT, null, false));
            records.byId.put(CONTACT_2, contact(CONTACT_2, "+1 650 253 0000", false));

            assertThat(lifts.restore(List.of(lift))).extracting(DialerCommand::key, DialerCommand::id)
                    .containsExactly(tuple(CONTACT, CONTACTS + ":10"),
                            tuple(CONTACT, CONTACTS + ":10:restore:" + CONTACT + ":contact.upsert"),
                            tuple(CONTACT_2, CONTACTS + ":10:restore:" + CONTACT_2 + ":contact.upsert"));
        }
    }

    /** A lift Salesforce has overtaken never leaves: no unsuppress, and the guard writes no tombstone. */
    @Nested
    class WhenSalesforceNoLongerHasThePersonCallable {

        private DialerCommand unsuppressRequested(String person, String id) {
            return command(CommandType.CONTACT_UNSUPPRESS, person, id, map("recordId", person,
                    "reason", "REQUESTED", "reasons", List.of("REQUESTED"), "requestedAt", TIME.toString()));
        }

        @Test
        void aStaleDoNotCallClearedGivesWaySalesforcesSuppressWithoutCampaignsOrOthers() {
            DialerCommand lift = unsuppress(CONTACT, CONTACTS + ":8");
            DialerCommand upsert = command(CommandType.CONTACT_UPSERT, CONTACT, CONTACTS + ":8:contact.upsert",
                    map("recordId", CONTACT, "recordType", "Contact"));
            restoredBy.put(lift.id(), List.of(CONTACT, CONTACT_2));
            records.byId.put(CONTACT, contact(CONTACT, "+1 650 253 0000", true));
            records.byId.put(CONTACT_2, contact(CONTACT_2, "+1 650 253 0000", false));
            memberships.remember(MEMBER, new CampaignMembership(CONTACT, CAMPAIGN, "Sent"));

            List<DialerCommand> commands = lifts.restore(List.of(lift, upsert));

            assertThat(commands).extracting(command -> command.type().ceType(), DialerCommand::id).containsExactly(
                    tuple("dialer.contact.suppress", CONTACTS + ":8:restore:" + CONTACT + ":contact.suppress"),
                    tuple("dialer.contact.upsert", CONTACTS + ":8:contact.upsert"));
            assertThat(commands.get(0).data()).containsEntry("reasons", List.of("SALESFORCE_DNC"))
                    .containsEntry("phones", List.of("+16502530000"));
            assertThat(records.calls).singleElement().asString().startsWith("fetch Contact " + CONTACT);
        }

        @Test
        void aLiftOfAnotherReasonIsSwappedForSalesforcesSuppressAndComesRightAfterIt() {
            DialerCommand lift = unsuppressRequested(CONTACT, "/event/Dialer_Command__e:30");
            restoredBy.put(lift.id(), List.of(CONTACT));
            records.byId.put(CONTACT, contact(CONTACT, "+1 650 253 0000", true));

            List<DialerCommand> commands = lifts.restore(List.of(lift));

            assertThat(commands).extracting(command -> command.type().ceType(), DialerCommand::id).containsExactly(
                    tuple("dialer.contact.suppress",
                            "/event/Dialer_Command__e:30:restore:" + CONTACT + ":contact.suppress"),
                    tuple("dialer.contact.unsuppress", lift.id()));
            assertThat(commands.get(1).data()).containsEntry("reasons", List.of("REQUESTED"));
        }

        @Test
        void aPersonSalesforceNoLongerHasIsRemovedAndTheLiftDropped() {
            DialerCommand lift = unsuppress(CONTACT, CONTACTS + ":9");
            restoredBy.put(lift.id(), List.of(CONTACT));

            assertThat(lifts.restore(List.of(lift))).extracting(command -> command.type().ceType(), DialerCommand::id)
                    .containsExactly(tuple("dialer.contact.remove",
                            CONTACTS + ":9:restore:" + CONTACT + ":contact.remove"));
        }
    }

    @Nested
    class OtherwiseNothingIsRead {

        @Test
        void anUnsuppressThatLeavesAReasonOrLiftsNothing() {
            List<DialerCommand> commands = List.of(unsuppress(CONTACT, CONTACTS + ":11"));

            assertThat(lifts.restore(commands)).isEqualTo(commands);
            assertThat(records.calls).isEmpty();
        }

        @Test
        void anUnsuppressAfterASuppressOfThePersonInTheSameEvent() {
            knownNumbers.put(CONTACT, List.of("+16502530000"));
            DialerCommand suppress = command(CommandType.CONTACT_SUPPRESS, CONTACT, CONTACTS + ":12", map(
                    "recordId", CONTACT, "phones", List.of(), "scope", "CONTACT", "reason", "STATUS"));
            DialerCommand lift = unsuppress(CONTACT, CONTACTS + ":12:contact.unsuppress");
            restoredBy.put(lift.id(), List.of(CONTACT));

            assertThat(lifts.restore(List.of(suppress, lift))).containsExactly(suppress, lift);
            assertThat(records.calls).isEmpty();
        }
    }

    @Nested
    class ASuppressWithNoNumberKnown {

        private DialerCommand suppress(String person, String id, String... phones) {
            return command(CommandType.CONTACT_SUPPRESS, person, id, map("recordId", person,
                    "phones", List.of(phones), "scope", "CONTACT", "reason", "REQUESTED",
                    "reasons", List.of("REQUESTED"), "requestedAt", TIME.toString()));
        }

        @Test
        void carriesThePersonsCurrentNumbersReadOnceFromSalesforce() {
            records.byId.put(CONTACT, contact(CONTACT, "+1 650 253 0000", false));
            DialerCommand suppress = suppress(CONTACT, "/event/Dialer_Command__e:21");

            List<DialerCommand> commands = lifts.restore(List.of(suppress));

            assertThat(records.calls).singleElement().asString().startsWith("fetch Contact " + CONTACT);
            assertThat(commands).singleElement().satisfies(carried -> {
                assertThat(carried.id()).isEqualTo(suppress.id());
                assertThat(carried.data()).containsEntry("phones", List.of("+16502530000"))
                        .containsEntry("reasons", List.of("REQUESTED"));
            });
        }

        @Test
        void aReadThatMeetsATransientFailureIsMadeAgain() {
            records.byId.put(CONTACT, contact(CONTACT, "+1 650 253 0000", false));
            records.failures.add(SalesforceEventMapperTest.salesforceRefusal(503, "SERVER_UNAVAILABLE"));

            assertThat(lifts.restore(List.of(suppress(CONTACT, "/event/Dialer_Command__e:22"))))
                    .singleElement().satisfies(carried ->
                            assertThat(carried.data()).containsEntry("phones", List.of("+16502530000")));
            assertThat(records.calls).hasSize(2);
        }

        @Test
        void aPersonSalesforceNoLongerHasOrARefusedReadSuppressesWithWhatIsKnown() {
            DialerCommand gone = suppress(CONTACT, "/event/Dialer_Command__e:23");
            DialerCommand refused = suppress(CONTACT_2, "/event/Dialer_Command__e:24");
            records.failures.add(SalesforceEventMapperTest.salesforceRefusal(400, "INVALID_FIELD"));

            assertThat(lifts.restore(List.of(refused))).containsExactly(refused);
            assertThat(lifts.restore(List.of(gone))).containsExactly(gone);
        }

        @Test
        void nothingIsReadWhenTheEventOrTheGuardKnowsANumber() {
            knownNumbers.put(CONTACT_2, List.of("+16502530000"));
            List<DialerCommand> commands = List.of(suppress(CONTACT, CONTACTS + ":25", "+16502530001"),
                    suppress(CONTACT_2, CONTACTS + ":26"));

            assertThat(lifts.restore(commands)).isEqualTo(commands);
            assertThat(records.calls).isEmpty();
        }
    }
}
