package io.dialerbridge.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dialerbridge.DialerBridgeApplication;
import io.dialerbridge.ProductionArguments;
import io.dialerbridge.emulator.EmulatorSettings;
import io.dialerbridge.emulator.SalesforceEmulator;
import io.dialerbridge.local.kafka.EmbeddedKafkaBroker;
import io.dialerbridge.suppression.SuppressionEntry;
import io.dialerbridge.suppression.SuppressionGuard;
import io.dialerbridge.table.CompactedTables;
import io.dialerbridge.table.KafkaCompactedTopic;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * State first: the bridge in production mode reads every compacted table of its state before any route starts, and
 * refuses to start, naming the topic and the fix, when a state topic is missing or is not compacted.
 */
@ExtendWith(OutputCaptureExtension.class)
class StateFirstStartupIT {

    private static final String LEAD = "00Q000000000001EAA";

    @TempDir
    Path noRoutes;

    private SalesforceEmulator emulator;
    private EmbeddedKafkaBroker broker;
    private ConfigurableApplicationContext bridge;

    @BeforeEach
    void startSalesforceAndKafka() throws Exception {
        emulator = new SalesforceEmulator(EmulatorSettings.dialerOrg()).start();
        broker = EmbeddedKafkaBroker.builder().port(0).start();
    }

    @AfterEach
    void stopEverything() throws Exception {
        if (bridge != null) {
            bridge.close();
        }
        broker.close();
        emulator.close();
    }

    private ConfigurableApplicationContext start(String... settings) {
        List<String> arguments = new ArrayList<>(ProductionArguments.against(emulator, broker, "state-test-key-0001"));
        return start(arguments, settings);
    }

    private ConfigurableApplicationContext start(List<String> production, String... settings) {
        List<String> arguments = new ArrayList<>(production);
        // What is tested happens before the routes start: no route files, so no stream subscribes.
        arguments.add("--camel.main.routes-include-pattern=file:" + noRoutes + "/*.camel.yaml");
        arguments.add("--server.port=0");
        arguments.addAll(List.of(settings));
        bridge = new SpringApplicationBuilder(DialerBridgeApplication.class).run(arguments.toArray(String[]::new));
        return bridge;
    }

    @Test
    void theBridgeRefusesToStartWhenItsStateTopicsAreMissing() {
        assertThatThrownBy(() -> start("--dialer.topics.create=false"))
                .hasStackTraceContaining("Kafka topic dialer.suppressions does not exist; it holds the bridge's Do Not"
                        + " Call suppressions. Create it with cleanup.policy=compact, or let the bridge create it"
                        + " (dialer.topics.create=true, environment variable DIALER_TOPICS_CREATE).")
                .hasStackTraceContaining("Kafka topic dialer-bridge.campaign-members does not exist")
                .hasStackTraceContaining("Kafka topic dialer-bridge.replay-checkpoints does not exist")
                .hasStackTraceContaining("Kafka topic dialer-bridge.published-calls does not exist");
    }

    @Test
    void theBridgeRefusesToStartWhenTheSuppressionTopicIsNotCompacted() throws Exception {
        broker.createTopics(List.of(new NewTopic("dialer.suppressions", 3, (short) 1)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE))));

        // dialer.topics.create=true (the default) leaves an existing topic as it is, so it is checked too.
        assertThatThrownBy(() -> start())
                .hasStackTraceContaining("Kafka topic dialer.suppressions has cleanup.policy=delete, but it must be"
                        + " compacted")
                .hasStackTraceContaining("kafka-configs.sh --alter --entity-type topics --entity-name"
                        + " dialer.suppressions --add-config cleanup.policy=compact");
    }

    @Test
    void aBrokerThatIsNotUpYetIsWaitedForAndTheBridgeStartsOnceItIs(CapturedOutput output) throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        List<String> arguments = new ArrayList<>(ProductionArguments.against(emulator, broker, "state-test-key-0001"));
        arguments.replaceAll(argument -> argument.startsWith("--camel.component.kafka.brokers=")
                ? "--camel.component.kafka.brokers=127.0.0.1:" + port : argument);
        try (EmbeddedKafkaBroker late = EmbeddedKafkaBroker.builder().port(port).build()) {
            CompletableFuture<ConfigurableApplicationContext> starting = CompletableFuture.supplyAsync(
                    () -> start(arguments));
            // The start says it waits, and keeps waiting, rather than failing.
            Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> output.getOut()
                    .contains("Could not create the missing topics at 127.0.0.1:" + port + " yet (attempt 1)"));
            assertThat(starting).isNotDone();

            late.start();

            ConfigurableApplicationContext started = starting.get(120, TimeUnit.SECONDS);
            assertThat(started.getBean(CompactedTables.class).loaded()).contains("dialer.suppressions");
        }
    }

    @Test
    void aSuppressionOnKafkaBeforeTheStartIsKnownBeforeTheFirstEvent() throws Exception {
        broker.createTopics(List.of(new NewTopic("dialer.suppressions", 3, (short) 1)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))));
        Properties settings = new Properties();
        settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (KafkaCompactedTopic suppressions = new KafkaCompactedTopic("dialer.suppressions", settings, settings)) {
            SuppressionEntry row = new SuppressionEntry(LEAD, null, List.of("SALESFORCE_DNC"), "2026-12-01T10:00:00Z",
                    "e-1");
            suppressions.write(row.key(), SuppressionGuard.format(row)).get();
        }

        start();

        // Nothing has screened a command yet: the guard knows it because the start read the table.
        assertThat(bridge.getBean(SuppressionGuard.class).suppressionOf(LEAD)).isPresent();
        assertThat(bridge.getBean(CompactedTables.class).loaded()).containsExactlyInAnyOrder("dialer.suppressions",
                "dialer-bridge.person-numbers", "dialer-bridge.campaign-members", "dialer-bridge.replay-checkpoints",
                "dialer-bridge.published-calls", "dialer-bridge.leadership");
    }

    @Test
    void aSuppressionCommittedBehindATransactionACrashedBridgeLeftOpenIsKnownBeforeTheFirstEvent() throws Exception {
        // One partition: the crashed channel's open transaction and the committed row share it.
        broker.createTopics(List.of(new NewTopic("dialer.suppressions", 1, (short) 1)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))));
        SuppressionEntry row = new SuppressionEntry(LEAD, null, List.of("DISPOSITION"), "2026-12-01T10:00:00Z", "e-1");
        KafkaProducer<String, String> crashed = transactional("dialer-bridge-/data/ContactChangeEvent");
        try {
            crashed.initTransactions();
            crashed.beginTransaction();
            crashed.send(new ProducerRecord<>("dialer.suppressions", "record:003000000000009AAA", "{}")).get();
            try (KafkaProducer<String, String> other = transactional("another-writer")) {
                other.initTransactions();
                other.beginTransaction();
                other.send(new ProducerRecord<>("dialer.suppressions", row.key(), SuppressionGuard.format(row))).get();
                other.commitTransaction();
            }

            // Within the crashed one's transaction.timeout.ms (5 min): only fencing its id lets the guard see the row;
            // the bridge, elected, fences it as it takes leadership over, and catches up before it reports started.
            start("--dialer.streams.contact-cdc.enabled=true");

            assertThat(bridge.getBean(SuppressionGuard.class).suppressionOf(LEAD)).isPresent();
        } finally {
            // A forced close leaves the transaction as it is (a graceful one would abort it).
            crashed.close(Duration.ZERO);
        }
    }

    private KafkaProducer<String, String> transactional(String transactionalId) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId,
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 300_000), new StringSerializer(), new StringSerializer());
    }
}
