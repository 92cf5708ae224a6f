package io.dialerbridge.suppression;

import static io.dialerbridge.command.EventFixtures.CAMPAIGN;
import static io.dialerbridge.command.EventFixtures.CONTACT;
import static io.dialerbridge.command.EventFixtures.CONTACT_2;
import static io.dialerbridge.command.EventFixtures.LEAD;
import static io.dialerbridge.command.EventFixtures.ORG;
import static io.dialerbridge.command.EventFixtures.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.dialerbridge.command.CommandType;
import io.dialerbridge.command.DialerCommand;
import io.dialerbridge.local.kafka.EmbeddedKafkaBroker;
import io.dialerbridge.replay.KafkaCompactedTopic;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The Do Not Call guard's screening rules, and its suppression table read back from a real compacted topic. */
class SuppressionGuardTest {

    private static final String CONTACTS = "/data/ContactChangeEvent";
    private static final String LEADS = "/topic/DialerLeads";
    private static final String PHONE = "+14155550134";
    private static final String MOBILE = "+14155550199";
    private static final Instant TIME = Instant.parse("2024-02-25T02:27:17Z");

    private static EmbeddedKafkaBroker broker;

    private final AtomicInteger replayIds = new AtomicInteger(100);
    private String topic;
    private SuppressionGuard guard;

    @BeforeAll
    static void startKafka() {
        broker = EmbeddedKafkaBroker.builder().port(0).start();
    }

    @AfterAll
    static void stopKafka() {
        broker.close();
    }

    @BeforeEach
    void newGuardOnAnEmptyTopic() {
        topic = "dialer.suppressions." + UUID.randomUUID();
        broker.createTopics(List.of(new NewTopic(topic, 3, (short) 1)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))));
        guard = guardOn(topic);
    }

    private static SuppressionGuard guardOn(String topic) {
        return new SuppressionGuard(() -> compactedTopic(topic));
    }

    private static KafkaCompactedTopic compactedTopic(String topic) {
        Properties settings = new Properties();
        settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        return new KafkaCompactedTopic(topic, settings, settings);
    }

    /** Writes the changes as the publish route does: a row as JSON, a lifted suppression as a tombstone. */
    private void persist(Screened screened) throws Exception {
        try (KafkaCompactedTopic table = compactedTopic(topic)) {
            for (SuppressionChange change : screened.suppressionChanges()) {
                table.write(change.key(), change.entry() == null ? null : SuppressionGuard.format(change.entry()))
                        .get(30, TimeUnit.SECONDS);
            }
        }
    }

    private DialerCommand command(CommandType type, String key, Map<String, Object> data) {
        String channel = key.startsWith("00Q") ? LEADS : CONTACTS;
        return new DialerCommand(type, key, channel + ":" + replayIds.incrementAndGet(),
                "/salesforce/" + ORG + channel, key, TIME, data);
    }

    /** As ContactRules builds it. */
    private DialerCommand suppress(String person, String reason, String... phones) {
        return command(CommandType.CONTACT_SUPPRESS, person, map("recordId", person, "phones", List.of(phones),
                "scope", "CONTACT", "reason", reason, "requestedAt", "2024-02-25T02:27:17Z"));
    }

    private DialerCommand unsuppress(String person) {
        return command(CommandType.CONTACT_UNSUPPRESS, person, map("recordId", person, "reason", "SALESFORCE_DNC",
                "requestedAt", "2024-02-25T02:27:17Z"));
    }

    /** A merge-patch upsert with the contract's nested phones. */
    private DialerCommand upsert(String person, String phone) {
        Map<String, Object> phones = map("Phone", phone == null ? null : map("e164", phone, "raw", phone),
                "MobilePhone", null);
        return command(CommandType.CONTACT_UPSERT, person, map("recordId", person,
                "recordType", person.startsWith("00Q") ? "Lead" : "Contact", "lastName", "Hopper", "phones", phones));
    }

    private DialerCommand upsertWithoutPhones(String person) {
        return command(CommandType.CONTACT_UPSERT, person, map("recordId", person, "recordType", "Contact",
                "email", "grace@example.com", "changedFields", List.of("email")));
    }

    private DialerCommand memberAdd(String person) {
        return command(CommandType.CAMPAIGN_MEMBER_ADD, person, map("recordId", person, "campaignId", CAMPAIGN,
                "memberStatus", "Sent"));
    }

    private DialerCommand memberRemove(String person) {
        return command(CommandType.CAMPAIGN_MEMBER_REMOVE, person, map("recordId", person, "campaignId", CAMPAIGN,
                "memberStatus", "Removed"));
    }

    private DialerCommand remove(String person) {
        return command(CommandType.CONTACT_REMOVE, person, map("recordId", person, "reason", "DELETED"));
    }

    private DialerCommand pause() {
        String id = "/u/DialerControl:" + replayIds.incrementAndGet();
        return new DialerCommand(CommandType.CAMPAIGN_PAUSE, CAMPAIGN, id, "/salesforce/" + ORG + "/u/DialerControl",
                CAMPAIGN, TIME,
                map("campaignId", CAMPAIGN, "reason", null, "requestedBy", null));
    }

    private Screened screen(DialerCommand... commands) {
        return guard.screen(List.of(commands));
    }

    private static SuppressionEntry disposition(String person, String phone) {
        return new SuppressionEntry(person, phone, "DISPOSITION", "2026-11-27T15:06:10Z", "c-2026-11-27-000123");
    }

    @Nested
    class Suppress {

        @Test
        void passesAndRecordsThePersonAndEachNumber() {
            DialerCommand suppress = suppress(CONTACT, "SALESFORCE_DNC", PHONE, MOBILE);

            Screened screened = screen(suppress);

            assertThat(screened.commands()).containsExactly(suppress);
            assertThat(screened.suppressionChanges()).extracting(SuppressionChange::key, SuppressionChange::entry)
                    .containsExactly(
                            tuple("record:" + CONTACT, new SuppressionEntry(CONTACT, null, "SALESFORCE_DNC",
                                    "2024-02-25T02:27:17Z", suppress.id())),
                            tuple("phone:" + PHONE, new SuppressionEntry(CONTACT, PHONE, "SALESFORCE_DNC",
                                    "2024-02-25T02:27:17Z", suppress.id(), List.of(CONTACT))),
                            tuple("phone:" + MOBILE, new SuppressionEntry(CONTACT, MOBILE, "SALESFORCE_DNC",
                                    "2024-02-25T02:27:17Z", suppress.id(), List.of(CONTACT))));
            assertThat(guard.isSuppressed(CONTACT)).isTrue();
            assertThat(guard.blockedCount()).isZero();
        }

        @Test
        void withoutPhonesRecordsOnlyThePerson() {
            Screened screened = screen(suppress(LEAD, "STATUS"));

            assertThat(screened.suppressionChanges()).extracting(SuppressionChange::key)
                    .containsExactly("record:" + LEAD);
            assertThat(screened.suppressionChanges().get(0).entry().reason()).isEqualTo("STATUS");
        }

        @Test
        void takesTheCommandTimeWhenItHasNoRequestedAt() {
            DialerCommand suppress = command(CommandType.CONTACT_SUPPRESS, CONTACT, map("recordId", CONTACT,
                    "phones", List.of(), "scope", "CONTACT", "reason", "SALESFORCE_DNC"));

            assertThat(screen(suppress).suppressionChanges().get(0).entry().since()).isEqualTo("2024-02-25T02:27:17Z");
        }
    }

    @Nested
    class Blocking {

        @Test
        void anUpsertForASuppressedPersonIsBlockedAndCounted() {
            screen(suppress(CONTACT, "SALESFORCE_DNC"));

            Screened screened = screen(upsertWithoutPhones(CONTACT));

            assertThat(screened.commands()).isEmpty();
            assertThat(screened.suppressionChanges()).isEmpty();
            assertThat(guard.blockedCount()).isEqualTo(1);
        }

        @Test
        void aCampaignMembershipForASuppressedPersonIsBlockedAndCounted() {
            screen(suppress(CONTACT, "DISPOSITION"));

            assertThat(screen(memberAdd(CONTACT)).commands()).isEmpty();
            assertThat(guard.blockedCount()).isEqualTo(1);
        }

        @Test
        void anUpsertCarryingASuppressedNumberIsBlockedEvenForAnotherPerson() {
            screen(suppress(CONTACT, "SALESFORCE_DNC", PHONE));

            assertThat(screen(upsert(CONTACT_2, PHONE)).commands()).isEmpty();
            assertThat(guard.blockedCount()).isEqualTo(1);
        }

        @Test
        void anUpsertWithOtherOrClearedNumbersPasses() {
            screen(suppress(CONTACT, "SALESFORCE_DNC", PHONE));

            DialerCommand otherNumber = upsert(CONTACT_2, MOBILE);
            DialerCommand clearedNumber = upsert(CONTACT_2, null);
            assertThat(screen(otherNumber, clearedNumber).commands()).containsExactly(otherNumber, clearedNumber);
            assertThat(guard.blockedCount()).isZero();
        }

        @Test
        void anUpsertWithAnUnreadableNumberIsNotMistakenForASuppressedOne() {
            screen(suppress(CONTACT, "SALESFORCE_DNC", PHONE));
            DialerCommand unreadable = command(CommandType.CONTACT_UPSERT, CONTACT_2, map("recordId", CONTACT_2,
                    "recordType", "Contact", "phones", map("Phone", map("e164", null, "raw", "555-0134"))));

            assertThat(screen(unreadable).commands()).containsExactly(unreadable);
        }

        @Test
        void aCampaignMembershipForAnotherPersonOnASuppressedNumberPasses() {
            // Membership commands carry no phones; the dialer's own suppression list covers the number.
            screen(suppress(CONTACT, "SALESFORCE_DNC", PHONE));
            DialerCommand add = memberAdd(CONTACT_2);

            assertThat(screen(add).commands()).containsExactly(add);
        }

        @Test
        void removalsAndCampaignControlAlwaysPass() {
            screen(suppress(CONTACT, "SALESFORCE_DNC", PHONE));
            DialerCommand remove = remove(CONTACT);
            DialerCommand leave = memberRemove(CONTACT);
            DialerCommand pause = pause();

            Screened screened = screen(remove, leave, pause);

            assertThat(screened.commands()).containsExactly(remove, leave, pause);
            assertThat(screened.suppressionChanges()).isEmpty();
            assertThat(guard.blockedCount()).isZero();
        }

        @Test
        void aSuppressionRememberedFromADispositionBlocks() {
            guard.load();
            guard.remember(List.of(disposition(LEAD, null), disposition(LEAD, PHONE)));

            assertThat(screen(upsert(LEAD, null), upsert(CONTACT, PHONE), memberAdd(LEAD)).commands()).isEmpty();
            assertThat(guard.blockedCount()).isEqualTo(3);
        }
    }

    @Nested
    class Unsuppress {

        @Test
        void bugANumberTwoPeopleSuppressedStaysSuppressedWhenOneOfThemIsCleared() {
            screen(suppress(CONTACT_2, "SALESFORCE_DNC", PHONE));
            screen(suppress(CONTACT, "SALESFORCE_DNC", PHONE));

            Screened lifted = screen(unsuppress(CONTACT));

            assertThat(lifted.suppressionChanges()).filteredOn(change -> change.key().equals("phone:" + PHONE))
                    .allSatisfy(change -> assertThat(change.entry()).isNotNull());
            assertThat(screen(upsert(LEAD, PHONE)).commands()).isEmpty();
        }

        @Test
        void questionASalesforceDoNotCallDoesNotTakeOverADispositionSuppression() {
            guard.load();
            guard.remember(List.of(disposition(CONTACT, null), disposition(CONTACT, PHONE)));
            // The disposition's round trip: Salesforce marks DoNotCall, the PushTopic/CDC event suppresses again.
            screen(suppress(CONTACT, "SALESFORCE_DNC", PHONE));

            Screened cleared = screen(unsuppress(CONTACT));

            assertThat(cleared.commands()).isEmpty();
            assertThat(screen(upsert(CONTACT, PHONE)).commands()).isEmpty();
        }

        @Test
        void liftsASalesforceDoNotCallWithTombstonesForThePersonAndItsNumbers() {
            screen(suppress(CONTACT, "SALESFORCE_DNC", PHONE, MOBILE));
            DialerCommand unsuppress = unsuppress(CONTACT);

            Screened screened = screen(unsuppress);

            assertThat(screened.commands()).containsExactly(unsuppress);
            assertThat(screened.suppressionChanges()).extracting(SuppressionChange::key, SuppressionChange::entry)
                    .containsExactlyInAnyOrder(tuple("record:" + CONTACT, null), tuple("phone:" + PHONE, null),
                            tuple("phone:" + MOBILE, null));
            assertThat(guard.isSuppressed(CONTACT)).isFalse();
            DialerCommand callable = upsert(CONTACT, PHONE);
            assertThat(screen(callable).commands()).containsExactly(callable);
        }

        @Test
        void keepsADispositionSuppressionAndDropsTheUnsuppress() {
            screen(suppress(CONTACT, "DISPOSITION", PHONE));

            Screened screened = screen(unsuppress(CONTACT));

            assertThat(screened.commands()).isEmpty();
            assertThat(screened.suppressionChanges()).isEmpty();
            assertThat(guard.isSuppressed(CONTACT)).isTrue();
            assertThat(screen(upsert(CONTACT_2, PHONE)).commands()).isEmpty();
        }

        @Test
        void keepsAStatusSuppressionAndDropsTheUnsuppress() {
            screen(suppress(LEAD, "STATUS"));

            assertThat(screen(unsuppress(LEAD)).commands()).isEmpty();
            assertThat(guard.isSuppressed(LEAD)).isTrue();
        }

        @Test
        void forAPersonThatIsNotSuppressedIsDroppedWithoutChanges() {
            // The PushTopic mapper sends an unsuppress with every DoNotCall=false update; most find nothing to lift.
            Screened screened = screen(unsuppress(LEAD));

            assertThat(screened.commands()).isEmpty();
            assertThat(screened.suppressionChanges()).isEmpty();
            assertThat(guard.blockedCount()).isZero();
        }

        @Test
        void liftsOnlyTheRowsOfThatPerson() {
            screen(suppress(CONTACT, "SALESFORCE_DNC", PHONE), suppress(CONTACT_2, "SALESFORCE_DNC", MOBILE));

            Screened screened = screen(unsuppress(CONTACT));

            assertThat(screened.suppressionChanges()).extracting(SuppressionChange::key)
                    .containsExactlyInAnyOrder("record:" + CONTACT, "phone:" + PHONE);
            assertThat(guard.isSuppressed(CONTACT_2)).isTrue();
            assertThat(screen(upsert(LEAD, MOBILE)).commands()).isEmpty();
        }
    }

    @Nested
    class OrderWithinOneEvent {

        @Test
        void anUpsertAfterASuppressInTheSameEventIsBlocked() {
            DialerCommand suppress = suppress(CONTACT, "SALESFORCE_DNC", PHONE);

            Screened screened = screen(suppress, upsert(CONTACT, PHONE));

            assertThat(screened.commands()).containsExactly(suppress);
            assertThat(guard.blockedCount()).isEqualTo(1);
        }

        @Test
        void anUpsertAfterAnUnsuppressInTheSameEventPasses() {
            screen(suppress(LEAD, "SALESFORCE_DNC", PHONE));
            DialerCommand unsuppress = unsuppress(LEAD);
            DialerCommand upsert = upsert(LEAD, PHONE);

            Screened screened = screen(unsuppress, upsert);

            assertThat(screened.commands()).containsExactly(unsuppress, upsert);
            assertThat(screened.suppressionChanges()).extracting(SuppressionChange::entry).containsOnlyNulls();
        }

        @Test
        void anUpsertBeforeASuppressInTheSameEventPassesAndKeepsItsPlace() {
            DialerCommand upsert = upsert(CONTACT, PHONE);
            DialerCommand suppress = suppress(CONTACT, "SALESFORCE_DNC", PHONE);
            DialerCommand pause = pause();

            assertThat(screen(upsert, suppress, pause).commands()).containsExactly(upsert, suppress, pause);
        }

        @Test
        void aSuppressThenARemoveBothLeave() {
            DialerCommand suppress = suppress(LEAD, "STATUS");
            DialerCommand remove = remove(LEAD);

            assertThat(screen(suppress, remove).commands()).containsExactly(suppress, remove);
        }
    }

    /** A screen whose Kafka transaction aborted is taken back, so the events can be screened again as they resend. */
    @Nested
    class TakingBackAScreen {

        private Screened screenUndoably(SuppressionGuard.Undo undo, DialerCommand... commands) {
            return guard.screenUndoably(List.of(commands), undo);
        }

        @Test
        void aSuppressionTakenBackNoLongerBlocks() {
            SuppressionGuard.Undo undo = new SuppressionGuard.Undo();
            screenUndoably(undo, suppress(CONTACT, "SALESFORCE_DNC", PHONE));

            guard.undo(undo);

            assertThat(guard.isSuppressed(CONTACT)).isFalse();
            assertThat(screen(upsert(CONTACT_2, PHONE)).commands()).hasSize(1);
        }

        @Test
        void anUnsuppressTakenBackLiftsAgainWhenItIsScreenedAgain() {
            screen(suppress(CONTACT, "SALESFORCE_DNC", PHONE));
            SuppressionGuard.Undo first = new SuppressionGuard.Undo();
            Screened sent = screenUndoably(first, unsuppress(CONTACT), upsert(CONTACT, PHONE));

            guard.undo(first);
            assertThat(guard.isSuppressed(CONTACT)).isTrue();
            Screened resent = screenUndoably(new SuppressionGuard.Undo(), sent.commands().toArray(DialerCommand[]::new));

            // Without the undo the unsuppress would find nothing to lift and be dropped, and its tombstones lost.
            assertThat(resent).isEqualTo(sent);
        }

        @Test
        void theScreensOfATransactionAreTakenBackNewestFirst() {
            SuppressionGuard.Undo e1 = new SuppressionGuard.Undo();
            SuppressionGuard.Undo e2 = new SuppressionGuard.Undo();
            screen(suppress(CONTACT, "SALESFORCE_DNC"));
            screenUndoably(e1, unsuppress(CONTACT));
            screenUndoably(e2, suppress(CONTACT, "SALESFORCE_DNC"));

            guard.undo(e2);
            guard.undo(e1);

            assertThat(guard.isSuppressed(CONTACT)).as("as before the transaction").isTrue();
            assertThat(screen(unsuppress(CONTACT)).commands()).hasSize(1);
        }

        @Test
        void aRowAnotherScreenChangedSinceKeepsTheNewerValue() {
            screen(suppress(CONTACT, "SALESFORCE_DNC"));
            SuppressionGuard.Undo aborted = new SuppressionGuard.Undo();
            screenUndoably(aborted, unsuppress(CONTACT));
            // Meanwhile a DO_NOT_CALL disposition suppressed the person, on its own transaction.
            screen(suppress(CONTACT, "DISPOSITION", PHONE));

            guard.undo(aborted);
            Screened resent = screenUndoably(new SuppressionGuard.Undo(), unsuppress(CONTACT), upsert(CONTACT, PHONE));

            assertThat(guard.isSuppressed(CONTACT)).isTrue();
            assertThat(resent.commands()).as("Salesforce's DoNotCall=false cannot lift a disposition").isEmpty();
        }

        @Test
        void anUpsertScreenedBeforeASuppressionIsBlockedWhenScreenedAgainAfterIt() {
            SuppressionGuard.Undo aborted = new SuppressionGuard.Undo();
            DialerCommand upsert = upsert(CONTACT, PHONE);
            assertThat(screenUndoably(aborted, upsert).commands()).containsExactly(upsert);
            screen(suppress(CONTACT, "DISPOSITION", PHONE));

            guard.undo(aborted);

            assertThat(screenUndoably(new SuppressionGuard.Undo(), upsert).commands()).isEmpty();
        }
    }

    @Nested
    class Storage {

        @Test
        void aNewGuardOnTheSameTopicReadsTheRowsBack() throws Exception {
            persist(screen(suppress(CONTACT, "SALESFORCE_DNC", PHONE)));

            SuppressionGuard restarted = guardOn(topic);

            assertThat(restarted.isSuppressed(CONTACT)).isFalse();
            restarted.load();
            assertThat(restarted.isSuppressed(CONTACT)).isTrue();
            assertThat(restarted.screen(List.of(upsert(CONTACT_2, PHONE), memberAdd(CONTACT))).commands()).isEmpty();
            assertThat(restarted.blockedCount()).isEqualTo(2);
        }

        @Test
        void screeningLoadsTheTableFirst() throws Exception {
            persist(screen(suppress(CONTACT, "SALESFORCE_DNC")));

            SuppressionGuard restarted = guardOn(topic);

            assertThat(restarted.screen(List.of(upsertWithoutPhones(CONTACT))).commands()).isEmpty();
        }

        @Test
        void tombstonesDeleteTheRowsTheyFollow() throws Exception {
            persist(screen(suppress(CONTACT, "SALESFORCE_DNC", PHONE), suppress(CONTACT_2, "SALESFORCE_DNC")));
            persist(screen(unsuppress(CONTACT)));

            SuppressionGuard restarted = guardOn(topic);
            restarted.load();

            assertThat(restarted.isSuppressed(CONTACT)).isFalse();
            assertThat(restarted.isSuppressed(CONTACT_2)).isTrue();
            DialerCommand callable = upsert(CONTACT, PHONE);
            assertThat(restarted.screen(List.of(callable)).commands()).containsExactly(callable);
        }

        @Test
        void theReasonSurvivesTheRestartSoAnUnsuppressStillCannotLiftADisposition() throws Exception {
            try (KafkaCompactedTopic table = compactedTopic(topic)) {
                table.write("record:" + CONTACT, SuppressionGuard.format(disposition(CONTACT, null)))
                        .get(30, TimeUnit.SECONDS);
            }

            SuppressionGuard restarted = guardOn(topic);

            assertThat(restarted.screen(List.of(unsuppress(CONTACT))).commands()).isEmpty();
            assertThat(restarted.isSuppressed(CONTACT)).isTrue();
        }

        @Test
        void anUnsuppressLiftsTheSalesforceRowsButKeepsANumberADispositionSuppressed() throws Exception {
            try (KafkaCompactedTopic table = compactedTopic(topic)) {
                table.write("record:" + CONTACT, SuppressionGuard.format(new SuppressionEntry(CONTACT, null,
                        "SALESFORCE_DNC", "2024-02-25T02:27:17Z", CONTACTS + ":7"))).get(30, TimeUnit.SECONDS);
                table.write("phone:" + PHONE, SuppressionGuard.format(disposition(CONTACT, PHONE)))
                        .get(30, TimeUnit.SECONDS);
            }
            SuppressionGuard restarted = guardOn(topic);

            Screened lifted = restarted.screen(List.of(unsuppress(CONTACT)));

            assertThat(lifted.suppressionChanges()).extracting(SuppressionChange::key)
                    .containsExactly("record:" + CONTACT);
            assertThat(restarted.screen(List.of(upsert(CONTACT, PHONE))).commands()).isEmpty();
            DialerCommand otherNumber = upsert(CONTACT, MOBILE);
            assertThat(restarted.screen(List.of(otherNumber)).commands()).containsExactly(otherNumber);
        }

        @Test
        void readsTheTopicOnlyOnce() {
            AtomicInteger opened = new AtomicInteger();
            SuppressionGuard counting = new SuppressionGuard(() -> {
                opened.incrementAndGet();
                return compactedTopic(topic);
            });

            counting.load();
            counting.screen(List.of(pause()));
            counting.load();

            assertThat(opened).hasValue(1);
        }

        @Test
        void anUnreadableRowFailsTheLoadInsteadOfForgettingASuppression() throws Exception {
            try (KafkaCompactedTopic table = compactedTopic(topic)) {
                table.write("record:" + CONTACT, "not json").get(30, TimeUnit.SECONDS);
            }

            assertThatThrownBy(() -> guardOn(topic).load()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("record:" + CONTACT);
        }
    }
}
