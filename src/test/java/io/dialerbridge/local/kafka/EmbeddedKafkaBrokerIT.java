package io.dialerbridge.local.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the embedded KRaft broker for real: topics, idempotent produce, consume, restart on the same data, cleanup. */
class EmbeddedKafkaBrokerIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static final String CHECKPOINTS = "replay-checkpoints";
    private static final String COMMANDS = "contact-commands";

    private static List<NewTopic> productLikeTopics() {
        return List.of(
                new NewTopic(CHECKPOINTS, 1, (short) 1)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
                new NewTopic(COMMANDS, 1, (short) 1));
    }

    /** Each test puts its brokers here so none outlives it, whatever the test's outcome. */
    private final List<EmbeddedKafkaBroker> brokers = new ArrayList<>();

    private EmbeddedKafkaBroker started(EmbeddedKafkaBroker.Builder builder) {
        EmbeddedKafkaBroker broker = builder.build();
        brokers.add(broker);
        return broker.start();
    }

    @AfterEach
    void closeBrokers() {
        RuntimeException failure = null;
        for (EmbeddedKafkaBroker broker : brokers) {
            try {
                broker.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Nested
    class Running {

        @Test
        void servesTopicsOnAFreeLoopbackPort() throws Exception {
            EmbeddedKafkaBroker broker = started(EmbeddedKafkaBroker.builder());

            assertThat(broker.port()).isPositive();
            assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + broker.port());

            broker.createTopics(productLikeTopics());
            broker.createTopics(productLikeTopics()); // declaring existing topics again must not fail

            try (Admin admin = admin(broker)) {
                assertThat(admin.listTopics().names().get()).contains(CHECKPOINTS, COMMANDS);
                assertThat(cleanupPolicy(admin, CHECKPOINTS)).isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
                assertThat(cleanupPolicy(admin, COMMANDS)).isEqualTo(TopicConfig.CLEANUP_POLICY_DELETE);
            }
        }

        @Test
        void roundTripsRecordsWithIdempotentProducerAndGroupConsumer() throws Exception {
            EmbeddedKafkaBroker broker = started(EmbeddedKafkaBroker.builder());
            broker.createTopics(productLikeTopics());

            produce(broker, CHECKPOINTS, Map.of("campaign-1", "offset-10", "campaign-2", "offset-20"));
            produce(broker, COMMANDS, Map.of("001000000000001AAA", "START"));

            assertThat(consumeAll(broker, CHECKPOINTS, 2, freshGroup()))
                    .containsEntry("campaign-1", "offset-10")
                    .containsEntry("campaign-2", "offset-20");
            assertThat(consumeAll(broker, COMMANDS, 1, freshGroup()))
                    .containsEntry("001000000000001AAA", "START");
        }

        @Test
        void refusesTopicsItWasNotAskedToCreate() throws Exception {
            EmbeddedKafkaBroker broker = started(EmbeddedKafkaBroker.builder());

            try (Admin admin = admin(broker)) {
                assertThat(admin.listTopics().names().get()).doesNotContain("misspelt-topic");
                try (KafkaConsumer<String, String> consumer = consumer(broker, freshGroup())) {
                    // Metadata requests would create the topic if auto creation were on.
                    assertThat(consumer.partitionsFor("misspelt-topic", Duration.ofSeconds(5))).isEmpty();
                }
                assertThat(admin.listTopics().names().get()).doesNotContain("misspelt-topic");
            }
        }
    }

    @Nested
    class Restart {

        @Test
        void keepsTopicsRecordsAndCommittedOffsetsOnTheSameDirectory(@TempDir Path tmp) throws Exception {
            Path data = tmp.resolve("kafka");
            EmbeddedKafkaBroker.Builder builder = EmbeddedKafkaBroker.builder().dataDirectory(data);
            String group = "replay";

            EmbeddedKafkaBroker first = started(builder);
            String clusterId = first.clusterId();
            first.createTopics(productLikeTopics());
            produce(first, CHECKPOINTS, Map.of("campaign-1", "offset-10", "campaign-2", "offset-20"));
            produce(first, COMMANDS, Map.of("001000000000001AAA", "START"));
            assertThat(consumeAll(first, COMMANDS, 1, group)).hasSize(1);
            first.close();

            assertThat(data.resolve("meta.properties")).exists();

            EmbeddedKafkaBroker second = started(builder);
            assertThat(second.clusterId()).isEqualTo(clusterId);
            second.createTopics(productLikeTopics()); // a restarting application declares its topics again
            try (Admin admin = admin(second)) {
                assertThat(admin.listTopics().names().get()).contains(CHECKPOINTS, COMMANDS);
                assertThat(cleanupPolicy(admin, CHECKPOINTS)).isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
                Map<TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                assertThat(committed.get(new TopicPartition(COMMANDS, 0)).offset()).isEqualTo(1);
            }
            assertThat(consumeAll(second, CHECKPOINTS, 2, freshGroup()))
                    .containsEntry("campaign-1", "offset-10")
                    .containsEntry("campaign-2", "offset-20");
            assertThat(consumeAll(second, COMMANDS, 1, freshGroup()))
                    .containsEntry("001000000000001AAA", "START");
        }

        /**
         * The bridge writes in transactions and its tests stop the broker mid-stream: one broker must run them (its
         * transaction log has one replica), and a client that was connected must find it again on the same port.
         */
        @Test
        void runsTransactionsAndComesBackOnTheSamePortWithTheirOutcome(@TempDir Path tmp) throws Exception {
            EmbeddedKafkaBroker.Builder builder = EmbeddedKafkaBroker.builder().dataDirectory(tmp.resolve("kafka"));
            EmbeddedKafkaBroker first = started(builder);
            first.createTopics(productLikeTopics());
            int port = first.port();
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, first.bootstrapServers());
            props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "embedded-broker-test");
            try (KafkaProducer<String, String> producer =
                         new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(COMMANDS, "001000000000001AAA", "COMMITTED"));
                producer.commitTransaction();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(COMMANDS, "001000000000001AAA", "ABORTED"));
                producer.flush();
                producer.abortTransaction();
            }
            first.close();

            EmbeddedKafkaBroker second = started(builder.port(port));

            assertThat(second.port()).isEqualTo(port);
            try (KafkaConsumer<String, String> consumer = consumer(second, freshGroup(), "read_committed")) {
                consumer.subscribe(List.of(COMMANDS));
                List<String> values = new ArrayList<>();
                long deadline = System.nanoTime() + TIMEOUT.toNanos();
                while (values.isEmpty() && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
                }
                // Read on past the aborted record: nothing more may come.
                consumer.poll(Duration.ofMillis(500)).forEach(record -> values.add(record.value()));
                assertThat(values).containsExactly("COMMITTED");
            }
        }

        @Test
        void keepsAGivenDirectoryOnClose(@TempDir Path tmp) {
            Path data = tmp.resolve("kafka");

            started(EmbeddedKafkaBroker.builder().dataDirectory(data)).close();

            assertThat(data).isDirectory();
        }
    }

    @Nested
    class Lifecycle {

        @Test
        void closeDeletesTheTemporaryDataDirectory() {
            EmbeddedKafkaBroker broker = started(EmbeddedKafkaBroker.builder());
            Path data = broker.dataDirectory();
            assertThat(data).isDirectory();

            broker.close();

            assertThat(data).doesNotExist();
            assertThat(broker.isRunning()).isFalse();
            broker.close(); // closing twice is harmless
        }

        @Test
        void failsToStartWhenThePortIsTaken() throws IOException {
            try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
                EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().port(taken.getLocalPort()).build();
                brokers.add(broker);

                assertThatThrownBy(broker::start)
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("127.0.0.1:" + taken.getLocalPort());
                assertThat(broker.isRunning()).isFalse();
            }
        }

        @Test
        void startsOnlyOnce() {
            EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build();
            brokers.add(broker);
            assertThatThrownBy(broker::bootstrapServers).isInstanceOf(IllegalStateException.class);

            broker.close();

            assertThatThrownBy(broker::start).isInstanceOf(IllegalStateException.class);
        }
    }

    /** A group of its own, so a consumer starts from the earliest record instead of another test's commits. */
    private static String freshGroup() {
        return "it-" + UUID.randomUUID();
    }

    private static Admin admin(EmbeddedKafkaBroker broker) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    private static String cleanupPolicy(Admin admin, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
        return config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
    }

    private static void produce(EmbeddedKafkaBroker broker, String topic, Map<String, String> records) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (Map.Entry<String, String> record : records.entrySet()) {
                producer.send(new ProducerRecord<>(topic, record.getKey(), record.getValue()))
                        .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    private static KafkaConsumer<String, String> consumer(EmbeddedKafkaBroker broker, String group) {
        return consumer(broker, group, "read_uncommitted");
    }

    private static KafkaConsumer<String, String> consumer(EmbeddedKafkaBroker broker, String group,
            String isolation) {
        Properties props = new Properties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    /** Polls as a member of {@code group} until {@code expected} records arrived or the deadline passed, then commits. */
    private static Map<String, String> consumeAll(EmbeddedKafkaBroker broker, String topic, int expected, String group) {
        Map<String, String> values = new LinkedHashMap<>();
        try (KafkaConsumer<String, String> consumer = consumer(broker, group)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            int received = 0;
            while (received < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.put(record.key(), record.value());
                    received++;
                }
            }
            assertThat(received).as("records received from %s within %s", topic, TIMEOUT).isEqualTo(expected);
            consumer.commitSync(TIMEOUT);
        }
        return values;
    }
}
