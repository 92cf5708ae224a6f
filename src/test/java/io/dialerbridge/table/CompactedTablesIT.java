package io.dialerbridge.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dialerbridge.local.kafka.EmbeddedKafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The start's check and load of every compacted table, against a real broker. */
class CompactedTablesIT {

    private static EmbeddedKafkaBroker broker;

    /** The pauses the tables asked for between attempts, instead of sleeping them. */
    private final List<Long> pauses = new ArrayList<>();
    private final CompactedTables tables = new CompactedTables(pauses::add);

    @BeforeAll
    static void startKafka() {
        broker = EmbeddedKafkaBroker.builder().port(0).start();
    }

    @AfterAll
    static void stopKafka() {
        broker.close();
    }

    private static Properties admin() {
        Properties settings = new Properties();
        settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        return settings;
    }

    private static String topic(String policy) {
        String topic = "state." + UUID.randomUUID();
        broker.createTopics(List.of(new NewTopic(topic, 1, (short) 1)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, policy))));
        return topic;
    }

    @Nested
    class Loading {

        @Test
        void everyRegisteredTableIsLoadedOnceInRegistrationOrder() {
            List<String> order = new ArrayList<>();
            String first = topic("compact");
            String second = topic("compact,delete");
            tables.register(first, "first table", () -> order.add(first));
            tables.register(second, "second table", () -> order.add(second));

            tables.prepare(admin(), false, List.of(), Duration.ofSeconds(30));
            tables.prepare(admin(), false, List.of(), Duration.ofSeconds(30));

            assertThat(order).containsExactly(first, second);
            assertThat(tables.loaded()).containsExactlyInAnyOrder(first, second);
        }

        @Test
        void aSlowBrokerIsWaitedForWithGrowingPauses() {
            AtomicInteger attempts = new AtomicInteger();
            String topic = topic("compact");
            tables.register(topic, "slow table", () -> {
                if (attempts.incrementAndGet() < 4) {
                    throw new TimeoutException("Could not read Kafka topic " + topic + " to its end within 60 s");
                }
            });

            tables.prepare(admin(), false, List.of(), Duration.ofMinutes(5));

            assertThat(attempts).hasValue(4);
            assertThat(pauses).containsExactly(500L, 1000L, 2000L);
            assertThat(tables.loaded()).containsExactly(topic);
        }

        @Test
        void aBrokerSlowerThanThePatienceFailsTheStartNamingTheTable() {
            String topic = topic("compact");
            tables.register(topic, "slow table", () -> {
                throw new TimeoutException("Could not read Kafka topic " + topic + " to its end within 60 s");
            });

            assertThatThrownBy(() -> tables.prepare(admin(), false, List.of(), Duration.ZERO))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("could not read " + topic + " (slow table)")
                    .hasMessageContaining("dialer.startup.state-timeout");
            assertThat(tables.loaded()).isEmpty();
        }

        @Test
        void anUnreadableTableFailsTheStartAtOnce() {
            String topic = topic("compact");
            AtomicInteger attempts = new AtomicInteger();
            tables.register(topic, "broken table", () -> {
                attempts.incrementAndGet();
                throw new IllegalStateException("Unreadable suppression record:x");
            });

            assertThatThrownBy(() -> tables.prepare(admin(), false, List.of(), Duration.ofMinutes(5)))
                    .hasMessageContaining("Unreadable suppression record:x");
            assertThat(attempts).hasValue(1);
            assertThat(pauses).isEmpty();
        }
    }

    @Nested
    class Checking {

        @Test
        void everyMissingOrDeletingTopicIsNamedInOneMessageBeforeAnyTableLoads() {
            String deleting = topic("delete");
            String missing = "state.missing." + UUID.randomUUID();
            AtomicInteger loads = new AtomicInteger();
            tables.register(deleting, "deleting table", loads::incrementAndGet);
            tables.register(missing, "missing table", loads::incrementAndGet);

            assertThatThrownBy(() -> tables.prepare(admin(), false, List.of(), Duration.ofMinutes(5)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Kafka topic " + deleting + " has cleanup.policy=delete")
                    .hasMessageContaining("Kafka topic " + missing + " does not exist; it holds the bridge's missing"
                            + " table");
            assertThat(loads).hasValue(0);
        }

        @Test
        void aMissingTopicIsCreatedFromItsDefinitionWhenTheBridgeMay() {
            String topic = "state.created." + UUID.randomUUID();
            AtomicInteger loads = new AtomicInteger();
            tables.register(new NewTopic(topic, 1, (short) 1).configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG,
                    TopicConfig.CLEANUP_POLICY_COMPACT)), "created table", loads::incrementAndGet);

            tables.prepare(admin(), true, List.of(), Duration.ofMinutes(1));

            assertThat(loads).hasValue(1);
        }

        @Test
        void aMissingTopicNobodyCreatesIsNamedAtOnceEvenWhenTheBridgeMayCreate() {
            String missing = "state.uncreated." + UUID.randomUUID();
            tables.register(missing, "uncreated table", () -> { });

            assertThatThrownBy(() -> tables.prepare(admin(), true, List.of(), Duration.ofMinutes(5)))
                    .hasMessageContaining("Kafka topic " + missing + " does not exist");
            assertThat(pauses).isEmpty();
        }

        @Test
        void onlyCompactIsACompactingPolicy() {
            assertThat(CompactedTables.isCompacted("compact")).isTrue();
            assertThat(CompactedTables.isCompacted("compact,delete")).isTrue();
            assertThat(CompactedTables.isCompacted("delete, compact")).isTrue();
            assertThat(CompactedTables.isCompacted("delete")).isFalse();
            assertThat(CompactedTables.isCompacted(null)).isFalse();
        }
    }
}
