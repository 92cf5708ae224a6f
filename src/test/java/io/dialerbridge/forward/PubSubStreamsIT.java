package io.dialerbridge.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.dialerbridge.DialerBridgeApplication;
import io.dialerbridge.KafkaTopicReader;
import io.dialerbridge.ProductionArguments;
import io.dialerbridge.emulator.EmulatorSettings;
import io.dialerbridge.emulator.SalesforceEmulator;
import io.dialerbridge.emulator.data.RecordStore;
import io.dialerbridge.emulator.data.SObjectType;
import io.dialerbridge.local.kafka.EmbeddedKafkaBroker;
import io.dialerbridge.replay.ReplayCheckpoints;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The forward flow's CDC and platform-event streams end to end on both transports, CometD and the Pub/Sub API: the
 * bridge in production mode against the emulated org and a real broker, the same commands either way, and on Pub/Sub
 * the CometD path's guarantees (checkpoint resumed after a restart, the stream resubscribed after the server ends it
 * or the token expires, an expired checkpoint falling back and resynchronising).
 */
class PubSubStreamsIT {

    enum Transport { COMETD, PUBSUB }

    private static final String USER = "005000000000001AAA";
    private static final String CONTACTS = "/data/ContactChangeEvent";
    private static final String COMMANDS = "/event/Dialer_Command__e";
    private static final String CONTACT_COMMANDS = "dialer.contact-commands";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private SalesforceEmulator emulator;
    private EmbeddedKafkaBroker broker;
    private final List<EmbeddedKafkaBroker> brokers = new ArrayList<>();
    private final List<ConfigurableApplicationContext> bridges = new ArrayList<>();
    private final List<KafkaTopicReader> readers = new ArrayList<>();
    private ConfigurableApplicationContext bridge;

    @BeforeEach
    void startSalesforceAndKafka() throws Exception {
        emulator = new SalesforceEmulator(EmulatorSettings.dialerOrg()).start();
        broker = broker();
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (ConfigurableApplicationContext running : bridges) {
            running.close();
        }
        for (KafkaTopicReader reader : readers) {
            reader.close();
        }
        for (EmbeddedKafkaBroker started : brokers) {
            started.close();
        }
        emulator.close();
    }

    private EmbeddedKafkaBroker broker() throws Exception {
        EmbeddedKafkaBroker started = EmbeddedKafkaBroker.builder().port(0).start();
        brokers.add(started);
        return started;
    }

    private ConfigurableApplicationContext startBridge(Transport transport, EmbeddedKafkaBroker kafka) {
        List<String> arguments = new ArrayList<>(ProductionArguments.against(emulator, kafka, "pubsub-test-api-key-01"));
        arguments.addAll(List.of("--server.port=0",
                "--dialer.stream-transport=" + transport.name().toLowerCase(java.util.Locale.ROOT),
                "--camel.component.salesforce.pub-sub-host=" + emulator.pubSubHost(),
                "--camel.component.salesforce.pub-sub-port=" + emulator.pubSubPort(),
                "--camel.component.salesforce.pubsub-allow-use-system-proxy=false",
                "--dialer.pubsub.first-back-off-ms=200",
                "--dialer.pubsub.max-back-off-ms=2000",
                "--dialer.streams.lead-pushtopic.enabled=false",
                "--dialer.streams.dialer-control-generic.enabled=false"));
        ConfigurableApplicationContext started = new SpringApplicationBuilder(DialerBridgeApplication.class)
                .run(arguments.toArray(String[]::new));
        bridges.add(started);
        Awaitility.await().atMost(WAIT).until(() -> subscribers(transport, CONTACTS) > 0
                && subscribers(transport, COMMANDS) > 0);
        return started;
    }

    private void stopBridge(Transport transport, ConfigurableApplicationContext running) {
        running.close();
        bridges.remove(running);
        Awaitility.await().atMost(WAIT).until(() -> subscribers(transport, CONTACTS) == 0);
    }

    private int subscribers(Transport transport, String channel) {
        return transport == Transport.PUBSUB ? emulator.pubSub().subscriberCounts().getOrDefault(channel, 0)
                : emulator.streaming().subscriberCount(channel);
    }

    private KafkaTopicReader reader(EmbeddedKafkaBroker kafka) {
        KafkaTopicReader reader = new KafkaTopicReader(kafka.bootstrapServers(), CONTACT_COMMANDS);
        readers.add(reader);
        return reader;
    }

    private String createContact(String lastName) {
        return createContact(lastName, "+14155550100");
    }

    private String createContact(String lastName, String phone) {
        RecordStore.Transaction transaction = emulator.records().begin(USER, "test");
        String id = transaction.create(SObjectType.CONTACT, Map.of("LastName", lastName, "Phone", phone));
        transaction.commit();
        return id;
    }

    private void updateContact(String id, Map<String, ?> values) {
        RecordStore.Transaction transaction = emulator.records().begin(USER, "test");
        transaction.update(SObjectType.CONTACT, id, values);
        transaction.commit();
    }

    private static List<String> typesAbout(List<ConsumerRecord<String, String>> records, String person) {
        Set<String> seen = new HashSet<>();
        return records.stream().filter(record -> person.equals(record.key()))
                .filter(record -> seen.add(KafkaTopicReader.header(record, "ce_id")))
                .map(record -> KafkaTopicReader.header(record, "ce_type")).toList();
    }

    private static List<ConsumerRecord<String, String>> awaitCommandsAbout(KafkaTopicReader reader,
            Set<String> ids) {
        return reader.awaitUntil(records -> records.stream().map(ConsumerRecord::key).collect(Collectors.toSet())
                .containsAll(ids), WAIT);
    }

    private static void assertEachOnce(List<ConsumerRecord<String, String>> received, int expected) {
        Map<String, Long> copies = received.stream().collect(Collectors.groupingBy(
                record -> KafkaTopicReader.header(record, "ce_id"), Collectors.counting()));
        assertThat(copies).hasSize(expected);
        assertThat(copies.values()).containsOnly(1L);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aContactsCreateUpdateDoNotCallAndARequestedSuppressionBecomeTheirCommands(Transport transport) {
        bridge = startBridge(transport, broker);
        KafkaTopicReader commands = reader(broker);
        String person = createContact("Created");
        commands.awaitUntil(records -> typesAbout(records, person).contains("dialer.contact.upsert"), WAIT);
        updateContact(person, Map.of("Email", "updated@example.com"));
        commands.awaitUntil(records -> typesAbout(records, person).size() == 2, WAIT);
        updateContact(person, Map.of("DoNotCall", true));
        commands.awaitUntil(records -> typesAbout(records, person).contains("dialer.contact.suppress"), WAIT);

        // Another number: the first person's is on the do-not-call list now.
        String other = createContact("Requested", "+14155550177");
        commands.awaitUntil(records -> typesAbout(records, other).contains("dialer.contact.upsert"), WAIT);
        emulator.platformEvents().publish("Dialer_Command__e",
                Map.of("Command__c", "SUPPRESS_RECORD", "Record_Id__c", other), USER);

        List<ConsumerRecord<String, String>> received = commands.awaitUntil(
                records -> typesAbout(records, other).contains("dialer.contact.suppress"), WAIT);
        assertThat(typesAbout(received, person)).containsExactly("dialer.contact.upsert", "dialer.contact.upsert",
                "dialer.contact.suppress");
        assertThat(received.stream().filter(record -> person.equals(record.key())).skip(1).findFirst().orElseThrow()
                .value()).contains("updated@example.com").contains("changedFields");
        assertThat(typesAbout(received, other)).containsExactly("dialer.contact.upsert", "dialer.contact.suppress");
    }

    @Test
    void oneContactsChangesYieldIdenticalCommandsOnBothTransports() throws Exception {
        EmbeddedKafkaBroker pubSubKafka = broker();
        startBridge(Transport.COMETD, broker);
        startBridge(Transport.PUBSUB, pubSubKafka);
        KafkaTopicReader overCometd = reader(broker);
        KafkaTopicReader overPubSub = reader(pubSubKafka);
        String person = createContact("Both");
        updateContact(person, Map.of("FirstName", "Ada", "MobilePhone", "+1 415 555 0101"));
        updateContact(person, Map.of("Phone", ""));
        updateContact(person, Map.of("DoNotCall", true));

        List<ConsumerRecord<String, String>> cometd = overCometd.awaitUntil(
                records -> typesAbout(records, person).contains("dialer.contact.suppress"), WAIT);
        List<ConsumerRecord<String, String>> pubSub = overPubSub.awaitUntil(
                records -> typesAbout(records, person).contains("dialer.contact.suppress"), WAIT);

        assertThat(commandsOf(pubSub, person)).isEqualTo(commandsOf(cometd, person)).hasSize(4);
    }

    /** Each command about the person as the dialer sees it: id, type and body. */
    private static List<String> commandsOf(List<ConsumerRecord<String, String>> records, String person) {
        Set<String> seen = new HashSet<>();
        return records.stream().filter(record -> person.equals(record.key()))
                .filter(record -> seen.add(KafkaTopicReader.header(record, "ce_id")))
                .map(record -> KafkaTopicReader.header(record, "ce_id") + " "
                        + KafkaTopicReader.header(record, "ce_type") + " " + record.value())
                .toList();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void changesMadeWhileTheBridgeWasDownArriveAfterItRestartsEachOnce(Transport transport) {
        bridge = startBridge(transport, broker);
        KafkaTopicReader commands = reader(broker);
        String before = createContact("Before");
        awaitCommandsAbout(commands, Set.of(before));
        stopBridge(transport, bridge);

        List<String> whileDown = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            whileDown.add(createContact("WhileDown-" + i));
        }
        bridge = startBridge(transport, broker);

        assertEachOnce(awaitCommandsAbout(commands, Set.copyOf(whileDown)), 1 + whileDown.size());
        assertThat(bridge.getBean(ReplayCheckpoints.class).checkpoints()).containsKey(CONTACTS);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aStreamThatTheTokenExpiryEndedIsResumedWithoutLoss(Transport transport) {
        bridge = startBridge(transport, broker);
        KafkaTopicReader commands = reader(broker);
        String before = createContact("BeforeExpiry");
        awaitCommandsAbout(commands, Set.of(before));

        emulator.tokens().expireAll();
        emulator.streaming().wakeAll();
        emulator.pubSub().checkTokens();
        List<String> after = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            after.add(createContact("AfterExpiry-" + i));
        }

        assertEachOnce(awaitCommandsAbout(commands, Set.copyOf(after)), 1 + after.size());
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = "PUBSUB")
    void aStreamTheServerEndsIsSubscribedAgainAndLosesNothing(Transport transport) {
        bridge = startBridge(transport, broker);
        KafkaTopicReader commands = reader(broker);
        String before = createContact("BeforeEnd");
        awaitCommandsAbout(commands, Set.of(before));

        emulator.pubSub().endStreams(false);
        String afterCompleted = createContact("AfterCompleted");
        awaitCommandsAbout(commands, Set.of(afterCompleted));
        emulator.pubSub().endStreams(true);
        String afterError = createContact("AfterError");

        assertEachOnce(awaitCommandsAbout(commands, Set.of(afterCompleted, afterError)), 3);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anExpiredCheckpointFallsBackAndResynchronisesTheEntitySoLostChangesStillArrive(Transport transport) {
        bridge = startBridge(transport, broker);
        KafkaTopicReader commands = reader(broker);
        String before = createContact("Before");
        awaitCommandsAbout(commands, Set.of(before));
        stopBridge(transport, bridge);

        String lost = createContact("Lost");
        long lostReplayId = emulator.bus().lastReplayId();
        String kept = createContact("Kept");
        emulator.bus().purge(CONTACTS, lostReplayId);
        bridge = startBridge(transport, broker);

        List<ConsumerRecord<String, String>> received = awaitCommandsAbout(commands, Set.of(lost, kept));
        assertThat(received).anyMatch(record -> record.key().equals(lost)
                && "dialer.contact.upsert".equals(KafkaTopicReader.header(record, "ce_type")));
        assertThat(bridge.getBean(ReplayCheckpoints.class).fallbacks()).containsEntry(CONTACTS, 1L);
    }
}
