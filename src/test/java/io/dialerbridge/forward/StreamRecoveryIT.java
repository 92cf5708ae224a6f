package io.dialerbridge.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.dialerbridge.DialerBridgeApplication;
import io.dialerbridge.KafkaTopicReader;
import io.dialerbridge.ProductionArguments;
import io.dialerbridge.emulator.ApiTraffic;
import io.dialerbridge.emulator.EmulatorSettings;
import io.dialerbridge.emulator.SalesforceEmulator;
import io.dialerbridge.emulator.data.ChangeType;
import io.dialerbridge.emulator.data.RecordStore;
import io.dialerbridge.emulator.data.SObjectType;
import io.dialerbridge.local.kafka.EmbeddedKafkaBroker;
import io.dialerbridge.replay.ReplayCheckpoints;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What the streams cannot say, recovered over REST end to end: the real routes against the emulator and a real
 * broker, with the emulator's query pages cut to two records so that every resync has to page. Set up as
 * {@link BridgeRestartIT}: Salesforce and Kafka stay up while the bridge stops and starts.
 */
class StreamRecoveryIT {

    private static final String USER = "005000000000001AAA";
    private static final String CONTACTS = "/data/ContactChangeEvent";
    private static final String MEMBERS = "/data/CampaignMemberChangeEvent";
    private static final String LEADS = "/topic/DialerLeads";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private SalesforceEmulator emulator;
    private EmbeddedKafkaBroker broker;
    private ConfigurableApplicationContext bridge;
    private KafkaTopicReader topics;

    @BeforeEach
    void startSalesforceAndKafka() throws Exception {
        emulator = new SalesforceEmulator(EmulatorSettings.dialerOrg().queryBatchSize(2)).start();
        broker = EmbeddedKafkaBroker.builder().port(0).start();
    }

    @AfterEach
    void stopEverything() throws Exception {
        if (bridge != null) {
            bridge.close();
        }
        if (topics != null) {
            topics.close();
        }
        broker.close();
        emulator.close();
    }

    private void startBridge(boolean withLeadPushTopic) {
        List<String> arguments = new ArrayList<>(
                ProductionArguments.against(emulator, broker, "recovery-test-api-key-0001"));
        arguments.addAll(List.of("--server.port=0",
                "--dialer.streams.lead-pushtopic.enabled=" + withLeadPushTopic,
                "--dialer.streams.dialer-control-generic.enabled=false",
                "--dialer.streams.dialer-command-events.enabled=false",
                "--dialer.recovery.retry-delay=50ms",
                "--dialer.recovery.max-delay=200ms"));
        bridge = new SpringApplicationBuilder(DialerBridgeApplication.class).run(arguments.toArray(String[]::new));
        List<String> channels = withLeadPushTopic ? List.of(CONTACTS, MEMBERS, LEADS) : List.of(CONTACTS, MEMBERS);
        Awaitility.await().atMost(WAIT).until(() -> channels.stream()
                .allMatch(channel -> emulator.streaming().subscriberCount(channel) > 0));
        if (topics == null) {
            topics = new KafkaTopicReader(broker.bootstrapServers(), "dialer.contact-commands", "dialer.dead-letter");
        }
    }

    private void stopBridge() {
        bridge.close();
        bridge = null;
        Awaitility.await().atMost(WAIT).until(() -> emulator.streaming().subscriberCount(CONTACTS) == 0);
    }

    private String create(SObjectType type, Map<String, ?> fields) {
        RecordStore.Transaction transaction = emulator.records().begin(USER, "test");
        String id = transaction.create(type, fields);
        transaction.commit();
        return id;
    }

    private void update(SObjectType type, String id, Map<String, ?> fields) {
        RecordStore.Transaction transaction = emulator.records().begin(USER, "test");
        transaction.update(type, id, fields);
        transaction.commit();
    }

    private void delete(SObjectType type, String id) {
        RecordStore.Transaction transaction = emulator.records().begin(USER, "test");
        transaction.delete(type, id);
        transaction.commit();
    }

    private String contact(String lastName) {
        return create(SObjectType.CONTACT, Map.of("LastName", lastName, "Phone", "+14155550100"));
    }

    private static String type(ConsumerRecord<String, String> record) {
        return KafkaTopicReader.header(record, "ce_type");
    }

    private static String id(ConsumerRecord<String, String> record) {
        return String.valueOf(KafkaTopicReader.header(record, "ce_id"));
    }

    private static Predicate<ConsumerRecord<String, String>> command(String key, String type) {
        return record -> key.equals(record.key()) && type.equals(type(record));
    }

    private List<ConsumerRecord<String, String>> await(Predicate<List<ConsumerRecord<String, String>>> condition) {
        return topics.awaitUntil(condition, WAIT);
    }

    /** Makes Salesforce refuse the channel's checkpoint: every event up to now leaves its retention. */
    private void expireEverythingRetained(String channel) {
        emulator.bus().purge(channel, emulator.bus().lastReplayId());
    }

    @Test
    void aResyncAfterAnExpiredCheckpointReachesEveryContactBeyondTheFirstPage() {
        startBridge(false);
        String before = contact("Before");
        await(records -> records.stream().anyMatch(command(before, "dialer.contact.upsert")));
        stopBridge();
        List<String> whileDown = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            whileDown.add(contact("WhileDown-" + i));
        }
        expireEverythingRetained(CONTACTS);

        startBridge(false);

        // Nothing is retained: only the resync, six contacts in pages of two, can tell the dialer about them.
        List<ConsumerRecord<String, String>> received = await(records -> whileDown.stream().allMatch(person ->
                records.stream().anyMatch(command(person, "dialer.contact.upsert"))));
        assertThat(received).filteredOn(record -> whileDown.contains(record.key()))
                .allSatisfy(record -> assertThat(id(record)).startsWith(CONTACTS + ":-"));
        assertThat(emulator.traffic().calls()).hasKeySatisfying(new org.assertj.core.api.Condition<>(
                endpoint -> endpoint.startsWith("GET /services/data/v56.0/query/01g"), "a queryMore"));
    }

    @Test
    void aContactDeletedWhileTheCheckpointWasExpiredIsRemoved() {
        startBridge(false);
        String leaving = contact("Leaving");
        await(records -> records.stream().anyMatch(command(leaving, "dialer.contact.upsert")));
        stopBridge();
        delete(SObjectType.CONTACT, leaving);
        expireEverythingRetained(CONTACTS);

        startBridge(false);

        ConsumerRecord<String, String> removal = await(records -> records.stream()
                .anyMatch(command(leaving, "dialer.contact.remove"))).stream()
                .filter(command(leaving, "dialer.contact.remove")).findFirst().orElseThrow();
        assertThat(removal.value()).contains("\"reason\":\"DELETED\"");
        assertThat(id(removal)).startsWith(CONTACTS + ":-").endsWith(":" + leaving);
    }

    @Test
    void theLeadPushTopicResyncsWhenItsCheckpointExpired() {
        startBridge(true);
        String first = create(SObjectType.LEAD, Map.of("LastName", "First", "Company", "Acme",
                "Phone", "+14155550101"));
        await(records -> records.stream().anyMatch(command(first, "dialer.contact.upsert")));
        stopBridge();
        String whileDown = create(SObjectType.LEAD, Map.of("LastName", "WhileDown", "Company", "Acme",
                "Phone", "+14155550102"));
        String deleted = create(SObjectType.LEAD, Map.of("LastName", "Gone", "Company", "Acme"));
        delete(SObjectType.LEAD, deleted);
        expireEverythingRetained(LEADS);

        startBridge(true);

        List<ConsumerRecord<String, String>> received = await(records -> records.stream()
                .anyMatch(command(whileDown, "dialer.contact.upsert"))
                && records.stream().anyMatch(command(deleted, "dialer.contact.remove")));
        assertThat(received).filteredOn(command(whileDown, "dialer.contact.upsert")).first()
                .satisfies(record -> assertThat(id(record)).startsWith(LEADS + ":-"));
        assertThat(bridge.getBean(ReplayCheckpoints.class).fallbacks()).containsEntry(LEADS, 1L);
    }

    @Test
    void anOlderRetainedEventDoesNotOverwriteTheResyncedRecord() {
        startBridge(false);
        String person = create(SObjectType.CONTACT, Map.of("LastName", "Careful", "Phone", "+14155550103",
                "DoNotCall", true));
        await(records -> records.stream().anyMatch(command(person, "dialer.contact.suppress")));
        stopBridge();
        // While the bridge is down: an event that leaves retention (so the checkpoint expires), then DoNotCall
        // cleared and set again, both still retained and replayed after the resync's snapshot.
        contact("Purged");
        long purged = emulator.bus().lastReplayId();
        update(SObjectType.CONTACT, person, Map.of("DoNotCall", false));
        long cleared = emulator.bus().lastReplayId();
        update(SObjectType.CONTACT, person, Map.of("DoNotCall", true));
        long setAgain = emulator.bus().lastReplayId();
        emulator.bus().purge(CONTACTS, purged);

        startBridge(false);

        await(records -> records.stream().anyMatch(record -> command(person, "dialer.contact.suppress").test(record)
                && id(record).startsWith(CONTACTS + ":-")));
        Awaitility.await().atMost(WAIT).until(() -> bridge.getBean(ReplayCheckpoints.class).checkpoints()
                .getOrDefault(CONTACTS, 0L) >= setAgain);
        // The snapshot said DoNotCall; the older event that cleared it must not lift the suppression again.
        assertThat(topics.records()).filteredOn(record -> person.equals(record.key()))
                .noneMatch(record -> id(record).startsWith(CONTACTS + ":" + cleared))
                .noneMatch(record -> "dialer.contact.unsuppress".equals(type(record)));
        assertThat(bridge.getBean(MeterRegistry.class).get("dialer.recovery.superseded")
                .tag("channel", CONTACTS).counter().count()).isGreaterThanOrEqualTo(2.0);
    }

    @Test
    void anOptOutOfAMemberTheBridgeNeverSawRemovesItFromTheCampaign() {
        // Members that existed before the bridge's first start: it never saw them created.
        String optingOut = contact("OptingOut");
        String leaving = contact("Leaving");
        String campaign = create(SObjectType.CAMPAIGN, Map.of("Name", "Winter"));
        String optOutMember = create(SObjectType.CAMPAIGN_MEMBER, Map.of("CampaignId", campaign,
                "ContactId", optingOut));
        String leavingMember = create(SObjectType.CAMPAIGN_MEMBER, Map.of("CampaignId", campaign,
                "ContactId", leaving));
        startBridge(false);

        update(SObjectType.CAMPAIGN_MEMBER, optOutMember, Map.of("Status", "Opted Out"));
        delete(SObjectType.CAMPAIGN_MEMBER, leavingMember);

        List<ConsumerRecord<String, String>> received = await(records -> records.stream()
                .anyMatch(command(optingOut, "dialer.campaign-member.remove"))
                && records.stream().anyMatch(command(leaving, "dialer.campaign-member.remove")));
        assertThat(received).filteredOn(record -> "dialer.campaign-member.remove".equals(type(record)))
                .allSatisfy(record -> assertThat(record.value()).contains(campaign));
        assertThat(received).noneMatch(record -> "dialer.dead-letter".equals(record.topic()));
    }

    @Test
    void aResyncThatSalesforceKeepsRefusingUntilTheBridgeStopsIsDoneAfterTheRestart() {
        startBridge(false);
        String before = contact("Before");
        await(records -> records.stream().anyMatch(command(before, "dialer.contact.upsert")));
        stopBridge();
        String lost = contact("Lost");
        contact("Purged");
        long purged = emulator.bus().lastReplayId();
        String retained = contact("Retained");
        emulator.bus().purge(CONTACTS, purged);
        emulator.traffic().answerBusy(ApiTraffic.Api.REST, 1_000_000);

        startBridge(false);
        Awaitility.await().atMost(WAIT).until(() -> bridge.getBean(MeterRegistry.class)
                .find("dialer.recovery.retries").tag("channel", CONTACTS).counter() != null);
        // Stopped while the resync waits for Salesforce: neither it nor the backlog behind it may move the checkpoint.
        stopBridge();
        emulator.traffic().answerBusy(ApiTraffic.Api.REST, 0);
        startBridge(false);

        List<ConsumerRecord<String, String>> received = await(records -> records.stream()
                .anyMatch(command(lost, "dialer.contact.upsert"))
                && records.stream().anyMatch(command(retained, "dialer.contact.upsert")));
        assertThat(received).filteredOn(command(lost, "dialer.contact.upsert")).first()
                .satisfies(record -> assertThat(id(record)).startsWith(CONTACTS + ":-"));
        assertThat(received).noneMatch(record -> "dialer.dead-letter".equals(record.topic()));
        assertThat(bridge.getBean(ReplayCheckpoints.class).fallbacks()).containsEntry(CONTACTS, 1L);
    }

    @Test
    void aGapRefetchThatMeetsA503IsRetriedNotDeadLettered() {
        startBridge(false);
        String person = contact("Gap");
        await(records -> records.stream().anyMatch(command(person, "dialer.contact.upsert")));
        update(SObjectType.CONTACT, person, Map.of("DoNotCall", true));
        emulator.traffic().answerBusy(ApiTraffic.Api.REST, 3);

        // A gap event that could hide the DoNotCall change: the bridge must read the contact, through three 503s.
        long gap = emulator.changeEvents().publishGap(SObjectType.CONTACT, person, ChangeType.UPDATE, USER,
                Instant.now());

        List<ConsumerRecord<String, String>> received = await(records -> records.stream()
                .anyMatch(record -> id(record).startsWith(CONTACTS + ":" + gap)
                        && "dialer.contact.suppress".equals(type(record))));
        assertThat(received).filteredOn(record -> id(record).startsWith(CONTACTS + ":" + gap))
                .anySatisfy(record -> assertThat(record.value()).contains("+14155550100"));
        assertThat(received).noneMatch(record -> "dialer.dead-letter".equals(record.topic()));
        assertThat(bridge.getBean(MeterRegistry.class).get("dialer.recovery.retries").tag("channel", CONTACTS)
                .counter().count()).isPositive();
        Awaitility.await().atMost(WAIT).until(() -> bridge.getBean(ReplayCheckpoints.class).checkpoints()
                .getOrDefault(CONTACTS, 0L) >= gap);
    }
}
