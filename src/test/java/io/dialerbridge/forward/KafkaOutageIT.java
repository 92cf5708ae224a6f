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
import io.dialerbridge.table.KafkaCompactedTopic;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The bridge while Kafka is away for longer than the producer's delivery timeout (shortened here to 3 s) and then
 * comes back on the same address with its data: a channel's changes still reach a {@code read_committed} dialer in
 * Salesforce order, each once, and the checkpoint covers exactly what was committed.
 */
class KafkaOutageIT {

    private static final String USER = "005000000000001AAA";
    private static final String CHANNEL = "/data/ContactChangeEvent";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path kafkaData;

    private SalesforceEmulator emulator;
    private EmbeddedKafkaBroker broker;
    private int port;
    private ConfigurableApplicationContext bridge;
    private KafkaTopicReader commands;

    @BeforeEach
    void startSalesforceKafkaAndTheBridge() throws Exception {
        emulator = new SalesforceEmulator(EmulatorSettings.dialerOrg()).start();
        broker = EmbeddedKafkaBroker.builder().dataDirectory(kafkaData).start();
        port = broker.port();
        List<String> arguments = new ArrayList<>(
                ProductionArguments.against(emulator, broker, "outage-test-api-key-00001"));
        arguments.addAll(List.of("--server.port=0",
                "--dialer.streams.lead-pushtopic.enabled=false",
                "--dialer.streams.campaign-member-cdc.enabled=false",
                "--dialer.streams.dialer-control-generic.enabled=false",
                "--dialer.streams.dialer-command-events.enabled=false",
                "--camel.component.kafka.delivery-timeout-ms=3000",
                "--camel.component.kafka.request-timeout-ms=1000",
                "--camel.component.kafka.max-block-ms=2000",
                "--dialer.kafka.retry-delay-ms=200"));
        bridge = new SpringApplicationBuilder(DialerBridgeApplication.class).run(arguments.toArray(String[]::new));
        Awaitility.await().atMost(WAIT).until(() -> emulator.streaming().subscriberCount(CHANNEL) > 0);
    }

    @AfterEach
    void stopEverything() throws Exception {
        if (commands != null) {
            commands.close();
        }
        bridge.close();
        broker.close();
        emulator.close();
    }

    private String create(Map<String, Object> fields) {
        RecordStore.Transaction transaction = emulator.records().begin(USER, "test");
        String id = transaction.create(SObjectType.CONTACT, fields);
        transaction.commit();
        return id;
    }

    private void update(String id, Map<String, Object> fields) {
        RecordStore.Transaction transaction = emulator.records().begin(USER, "test");
        transaction.update(SObjectType.CONTACT, id, fields);
        transaction.commit();
    }

    private double received() {
        Counter counter = bridge.getBean(MeterRegistry.class).find("dialer.stream.events")
                .tag("channel", CHANNEL).counter();
        return counter == null ? 0 : counter.count();
    }

    /** How often the bridge has read the person over REST (a lift's refetch reads it). */
    private long reads(String person) {
        return emulator.traffic().calls().entrySet().stream()
                .filter(call -> call.getKey().startsWith("GET ") && call.getKey().endsWith("/" + person))
                .mapToLong(Map.Entry::getValue).sum();
    }

    private static List<String> typesAbout(List<ConsumerRecord<String, String>> records, String person) {
        return records.stream().filter(record -> record.topic().equals("dialer.contact-commands")
                && person.equals(record.key())).map(record -> KafkaTopicReader.header(record, "ce_type")).toList();
    }

    private static List<String> idsAbout(List<ConsumerRecord<String, String>> records, String person) {
        return records.stream().filter(record -> record.topic().equals("dialer.contact-commands")
                && person.equals(record.key())).map(record -> KafkaTopicReader.header(record, "ce_id")).toList();
    }

    private Map<String, String> table(String topic) {
        Properties settings = new Properties();
        settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (KafkaCompactedTopic table = new KafkaCompactedTopic(topic, settings, settings)) {
            return table.readAll();
        }
    }

    @Test
    void aSuppressionIsNeverOvertakenByAnOlderUnsuppressDuringALongKafkaOutage() {
        String person = create(Map.of("LastName", "Outage", "Phone", "+14155550120", "DoNotCall", true));
        commands = new KafkaTopicReader(broker.bootstrapServers(), "dialer.contact-commands", "dialer.suppressions");
        commands.awaitUntil(records -> typesAbout(records, person).contains("dialer.contact.suppress"), WAIT);

        broker.close();
        // e1 clears DoNotCall, e2 sets it again, both while Kafka is away. e2 comes once the bridge has mapped e1 and
        // read the person for its lift: had Salesforce said DoNotCall again by then, no unsuppress would leave at all.
        long readsBefore = reads(person);
        update(person, Map.of("DoNotCall", false));
        Awaitility.await().atMost(WAIT).until(() -> reads(person) > readsBefore);
        update(person, Map.of("DoNotCall", true));
        long e2 = emulator.bus().lastReplayId();
        // The outage outlasts the producer's delivery timeout twice over, with both events received by the bridge.
        Awaitility.await().pollDelay(Duration.ofSeconds(7)).atMost(WAIT).until(() -> received() >= 3);
        broker = EmbeddedKafkaBroker.builder().dataDirectory(kafkaData).port(port).start();

        String e2Suppress = CHANNEL + ":" + e2;
        List<ConsumerRecord<String, String>> received = commands.awaitUntil(records -> records.stream()
                .anyMatch(record -> e2Suppress.equals(KafkaTopicReader.header(record, "ce_id"))), WAIT);

        // e1's unsuppress (and what its lift re-sends from Salesforce, which by then says DoNotCall again) come
        // before e2's suppress, and nothing comes after it.
        List<String> ids = idsAbout(received, person);
        List<String> types = typesAbout(received, person);
        assertThat(types.get(0)).isEqualTo("dialer.contact.suppress");
        assertThat(types).containsOnlyOnce("dialer.contact.unsuppress");
        assertThat(types.indexOf("dialer.contact.unsuppress")).isLessThan(ids.indexOf(e2Suppress));
        assertThat(ids.get(ids.size() - 1)).isEqualTo(e2Suppress);
        Map<String, Long> copies = received.stream().filter(record -> record.topic().equals("dialer.contact-commands"))
                .collect(Collectors.groupingBy(record -> KafkaTopicReader.header(record, "ce_id"),
                        Collectors.counting()));
        assertThat(copies.values()).as("each command once").containsOnly(1L);
        assertThat(table("dialer.suppressions")).containsKey("record:" + person);
        Awaitility.await().atMost(WAIT).until(() -> bridge.getBean(ReplayCheckpoints.class).checkpoints()
                .getOrDefault(CHANNEL, 0L) == e2);
        assertThat(table("dialer-bridge.replay-checkpoints").get(CHANNEL)).contains("\"replayId\":" + e2);
    }
}
