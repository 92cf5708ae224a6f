package io.dialerbridge.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dialerbridge.local.kafka.EmbeddedKafkaBroker;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Replay checkpoints advance only over acknowledged events in arrival order, and survive in a real compacted topic. */
class ReplayCheckpointsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTACTS = "/data/ContactChangeEvent";
    private static final String LEADS = "/topic/DialerLeads";
    private static final Instant NOW = Instant.parse("2026-11-27T15:04:05Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private static EmbeddedKafkaBroker broker;

    private String topic;
    private final AtomicInteger opened = new AtomicInteger();
    private ReplayCheckpoints checkpoints;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @BeforeAll
    static void startKafka() {
        broker = EmbeddedKafkaBroker.builder().port(0).start();
    }

    @AfterAll
    static void stopKafka() {
        broker.close();
    }

    @BeforeEach
    void checkpointsOnANewTopic() {
        topic = "dialer-bridge.replay-checkpoints." + UUID.randomUUID();
        broker.createTopics(List.of(new NewTopic(topic, 1, (short) 1)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))));
        checkpoints = checkpointsOn(topic);
    }

    @AfterEach
    void close() {
        checkpoints.close();
    }

    private ReplayCheckpoints checkpointsOn(String topic) {
        return checkpointsOn(topic, Duration.ZERO);
    }

    private ReplayCheckpoints checkpointsOn(String topic, Duration writeInterval) {
        return new ReplayCheckpoints(() -> {
            opened.incrementAndGet();
            return compactedTopic(topic);
        }, CLOCK, meters, writeInterval);
    }

    private static KafkaCompactedTopic compactedTopic(String topic) {
        Properties settings = new Properties();
        settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        return new KafkaCompactedTopic(topic, settings, settings);
    }

    private void receive(String channel, long... replayIds) {
        for (long replayId : replayIds) {
            checkpoints.received(channel, replayId);
        }
    }

    /** A stop of the bridge: the checkpoints written so far reach Kafka, then a new instance reads them. */
    private ReplayCheckpoints restart() {
        checkpoints.close();
        checkpoints = checkpointsOn(topic);
        return checkpoints;
    }

    /** The raw table, read with a client of its own. */
    private Map<String, String> table() {
        try (KafkaCompactedTopic raw = compactedTopic(topic)) {
            return raw.readAll();
        }
    }

    @Nested
    class Advancing {

        @Test
        void bugAStreamResubscribedInTheSameProcessAdvancesPastEventsThatWereInFlightWhenItStopped() {
            receive(CONTACTS, 5, 6);
            checkpoints.acknowledge(CONTACTS, 5L);
            // The route stops with 6 in flight (never acknowledged) and starts again in the same JVM (route reload,
            // route restart): the consumer asks where to resume, and Salesforce sends 6 again, then 7.
            assertThat(checkpoints.resumeAfter(CONTACTS)).hasValue(5);
            receive(CONTACTS, 6, 7);
            checkpoints.acknowledge(CONTACTS, 6L);
            checkpoints.acknowledge(CONTACTS, 7L);

            assertThat(checkpoints.checkpoints()).containsEntry(CONTACTS, 7L);
        }

        @Test
        void advancesToEachEventAcknowledgedInArrivalOrder() {
            receive(CONTACTS, 11, 12);

            checkpoints.acknowledge(CONTACTS, 11L);
            assertThat(checkpoints.checkpoints()).containsEntry(CONTACTS, 11L);
            checkpoints.acknowledge(CONTACTS, 12L);
            assertThat(checkpoints.checkpoints()).containsEntry(CONTACTS, 12L);
        }

        @Test
        void waitsForEveryEarlierEventBeforeMovingPastALaterOne() {
            receive(CONTACTS, 1, 2, 3);

            checkpoints.acknowledge(CONTACTS, 3L);
            assertThat(checkpoints.checkpoints()).doesNotContainKey(CONTACTS);

            checkpoints.acknowledge(CONTACTS, 1L);
            assertThat(checkpoints.checkpoints()).containsEntry(CONTACTS, 1L);

            checkpoints.acknowledge(CONTACTS, 2L);
            assertThat(checkpoints.checkpoints()).containsEntry(CONTACTS, 3L);
        }

        @Test
        void aResyncRequestHoldsTheBacklogBehindItButNeverBecomesTheCheckpoint() {
            // After a refused checkpoint: the consumer's resync request (a negative id), then the retained backlog.
            receive(CONTACTS, -1_733_000_000_000L, 20, 21);

            checkpoints.acknowledge(CONTACTS, 20L);
            checkpoints.acknowledge(CONTACTS, 21L);
            assertThat(checkpoints.checkpoints()).doesNotContainKey(CONTACTS);

            checkpoints.acknowledge(CONTACTS, -1_733_000_000_000L);
            assertThat(checkpoints.checkpoints()).containsEntry(CONTACTS, 21L);
        }

        @Test
        void aResyncRequestAloneMovesNothing() {
            receive(CONTACTS, -1_733_000_000_000L);

            checkpoints.acknowledge(CONTACTS, -1_733_000_000_000L);

            assertThat(checkpoints.checkpoints()).doesNotContainKey(CONTACTS);
        }

        @Test
        void followsArrivalOrderNotTheOrderOfTheReplayIds() {
            // Replay ids are one org-wide sequence; a channel's events arrive in its order, which is what counts.
            receive(CONTACTS, 40, 38);

            checkpoints.acknowledge(CONTACTS, 38L);
            assertThat(checkpoints.checkpoints()).doesNotContainKey(CONTACTS);
            checkpoints.acknowledge(CONTACTS, 40L);
            assertThat(checkpoints.checkpoints()).containsEntry(CONTACTS, 38L);
        }

        @Test
        void keepsChannelsApart() {
            receive(CONTACTS, 5, 7);
            receive(LEADS, 6);

            checkpoints.acknowledge(LEADS, 6L);
            checkpoints.acknowledge(CONTACTS, 7L);

            assertThat(checkpoints.checkpoints()).containsExactlyEntriesOf(Map.of(LEADS, 6L));
        }

        @Test
        void aDuplicateReplayIdMustBeAcknowledgedAsOftenAsItArrived() {
            receive(CONTACTS, 21, 21, 22);

            checkpoints.acknowledge(CONTACTS, 21L);
            assertThat(checkpoints.checkpoints()).containsEntry(CONTACTS, 21L);
            checkpoints.acknowledge(CONTACTS, 22L);
            assertThat(checkpoints.checkpoints()).containsEntry(CONTACTS, 21L);

            checkpoints.acknowledge(CONTACTS, 21L);
            assertThat(checkpoints.checkpoints()).containsEntry(CONTACTS, 22L);
        }
    }

    @Nested
    class NoOps {

        @Test
        void anAcknowledgementWithoutChannelOrReplayIdChangesNothing() {
            receive(CONTACTS, 1);

            checkpoints.acknowledge(null, 1L);
            checkpoints.acknowledge(CONTACTS, null);

            assertThat(checkpoints.checkpoints()).isEmpty();
            assertThat(opened).hasValue(0);
        }

        @Test
        void anAcknowledgementForAChannelThatReceivedNothingChangesNothing() {
            // e.g. the synthetic resync event, which carries no replay id header, or a channel of another route
            checkpoints.acknowledge("/u/DialerControl", 9L);

            assertThat(checkpoints.checkpoints()).isEmpty();
            assertThat(opened).hasValue(0);
        }

        @Test
        void anAcknowledgementThatAdvancesNothingWritesNothing() {
            receive(CONTACTS, 1, 2);

            checkpoints.acknowledge(CONTACTS, 2L);

            assertThat(opened).hasValue(0);
        }
    }

    @Nested
    class Storage {

        @Test
        void aChannelWithoutACheckpointResumesFromTheConfiguredStart() {
            assertThat(checkpoints.resumeAfter(CONTACTS)).isEmpty();
        }

        @Test
        void writesOneRowPerChannelKeyedByTheChannel() throws Exception {
            receive(CONTACTS, 15529385);
            checkpoints.acknowledge(CONTACTS, 15529385L);
            checkpoints.close();

            Map<String, String> table = table();

            assertThat(table).containsOnlyKeys(CONTACTS);
            assertThat(JSON.readTree(table.get(CONTACTS))).isEqualTo(JSON.readTree("""
                    {"channel": "/data/ContactChangeEvent", "replayId": 15529385,
                     "checkpointedAt": "2026-11-27T15:04:05Z"}"""));
        }

        @Test
        void aRestartResumesAfterTheLastCheckpointOfEachChannel() {
            receive(CONTACTS, 1, 2, 3);
            receive(LEADS, 4);
            checkpoints.acknowledge(CONTACTS, 1L);
            checkpoints.acknowledge(CONTACTS, 2L);
            checkpoints.acknowledge(LEADS, 4L);
            // 3 is still in flight when the bridge stops: it must come again.

            ReplayCheckpoints restarted = restart();

            assertThat(restarted.resumeAfter(CONTACTS)).hasValue(2);
            assertThat(restarted.resumeAfter(LEADS)).hasValue(4);
            assertThat(restarted.resumeAfter("/u/DialerControl")).isEmpty();
            assertThat(restarted.checkpoints()).containsExactlyInAnyOrderEntriesOf(Map.of(CONTACTS, 2L, LEADS, 4L));
        }

        @Test
        void theCheckpointGaugeShowsACheckpointLoadedAtStart() {
            receive(CONTACTS, 1, 2);
            checkpoints.acknowledge(CONTACTS, 1L);
            checkpoints.acknowledge(CONTACTS, 2L);

            restart().resumeAfter(CONTACTS);

            assertThat(meters.get("dialer.replay.checkpoint").tag("channel", CONTACTS).gauge().value()).isEqualTo(2);
        }

        @Test
        void theLatestCheckpointWinsAfterARestart() {
            receive(CONTACTS, 1, 2, 3);
            checkpoints.acknowledge(CONTACTS, 1L);
            checkpoints.acknowledge(CONTACTS, 2L);
            checkpoints.acknowledge(CONTACTS, 3L);

            assertThat(restart().resumeAfter(CONTACTS)).hasValue(3);
        }

        @Test
        void theTopicIsOpenedOnceOnFirstUse() {
            assertThat(opened).hasValue(0);

            checkpoints.resumeAfter(CONTACTS);
            receive(CONTACTS, 1);
            checkpoints.acknowledge(CONTACTS, 1L);
            checkpoints.resumeAfter(LEADS);

            assertThat(opened).hasValue(1);
        }

        @Test
        void anUnreadableCheckpointFailsInsteadOfReplayingFromTheStart() throws Exception {
            try (KafkaCompactedTopic raw = compactedTopic(topic)) {
                raw.write(CONTACTS, "{\"channel\":\"/data/ContactChangeEvent\"}").get(30, TimeUnit.SECONDS);
            }

            assertThatThrownBy(() -> checkpoints.resumeAfter(CONTACTS)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(CONTACTS);
        }

        @Test
        void withAWriteIntervalTheLatestCheckpointIsWrittenOnceAndACleanStopWritesWhatIsLeft() {
            checkpoints.close();
            checkpoints = checkpointsOn(topic, Duration.ofHours(1));
            receive(CONTACTS, 1, 2, 3);
            checkpoints.acknowledge(CONTACTS, 1L);
            checkpoints.acknowledge(CONTACTS, 2L);
            checkpoints.acknowledge(CONTACTS, 3L);

            assertThat(checkpoints.checkpoints()).containsEntry(CONTACTS, 3L);
            assertThat(table()).isEmpty();

            checkpoints.close();

            assertThat(table()).containsOnlyKeys(CONTACTS);
            assertThat(restart().resumeAfter(CONTACTS)).hasValue(3);
        }

        @Test
        void withAWriteIntervalAdvancesReachKafkaWithoutAStop() throws Exception {
            checkpoints.close();
            checkpoints = checkpointsOn(topic, Duration.ofMillis(20));
            receive(CONTACTS, 1, 2);
            checkpoints.acknowledge(CONTACTS, 1L);
            checkpoints.acknowledge(CONTACTS, 2L);

            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> table().containsKey(CONTACTS));
            assertThat(JSON.readTree(table().get(CONTACTS)).get("replayId").asLong()).isEqualTo(2);
        }

        @Test
        void aCheckpointTopicThatDoesNotExistFailsInsteadOfStartingEmpty() {
            String missing = "dialer-bridge.replay-checkpoints.missing." + UUID.randomUUID();
            Properties settings = new Properties();
            settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            checkpoints.close();
            checkpoints = new ReplayCheckpoints(() -> new KafkaCompactedTopic(missing, settings, settings,
                    Duration.ofSeconds(2)), CLOCK, meters, Duration.ZERO);

            assertThatThrownBy(() -> checkpoints.resumeAfter(CONTACTS))
                    .isInstanceOf(UnknownTopicOrPartitionException.class)
                    .hasMessageContaining(missing).hasMessageContaining("does not exist");
        }

        @Test
        void closingBeforeFirstUseOpensNothing() {
            checkpoints.close();

            assertThat(opened).hasValue(0);
        }
    }

    @Nested
    class Fallbacks {

        @Test
        void areCountedPerChannel() {
            checkpoints.fellBack(CONTACTS, 12L, -2L);
            checkpoints.fellBack(CONTACTS, 12L, -2L);
            checkpoints.fellBack(LEADS, 3L, -2L);

            assertThat(checkpoints.fallbacks()).containsExactlyInAnyOrderEntriesOf(Map.of(CONTACTS, 2L, LEADS, 1L));
        }

        @Test
        void doNotMoveTheCheckpoint() {
            receive(CONTACTS, 12);
            checkpoints.acknowledge(CONTACTS, 12L);

            checkpoints.fellBack(CONTACTS, 12L, -2L);

            assertThat(checkpoints.checkpoints()).containsEntry(CONTACTS, 12L);
            assertThat(checkpoints.fallbacks()).containsEntry(CONTACTS, 1L);
        }

        @Test
        void areNoneAtStart() {
            assertThat(checkpoints.fallbacks()).isEmpty();
        }
    }
}
