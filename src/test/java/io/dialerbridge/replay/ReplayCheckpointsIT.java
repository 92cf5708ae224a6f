package io.dialerbridge.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dialerbridge.local.kafka.EmbeddedKafkaBroker;
import io.dialerbridge.table.KafkaCompactedTopic;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Replay checkpoints: what a channel committed is where it resumes, also after a restart, from a real compacted topic. */
class ReplayCheckpointsIT {

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
        return new ReplayCheckpoints(() -> {
            opened.incrementAndGet();
            return compactedTopic(topic);
        }, CLOCK, meters);
    }

    private static KafkaCompactedTopic compactedTopic(String topic) {
        Properties settings = new Properties();
        settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        return new KafkaCompactedTopic(topic, settings, settings);
    }

    /** What a channel's transaction writes with its events: the checkpoint row, then (once committed) the news. */
    private void commit(String channel, long replayId) throws Exception {
        try (KafkaCompactedTopic raw = compactedTopic(topic)) {
            raw.write(channel, checkpoints.value(channel, replayId)).get(30, TimeUnit.SECONDS);
        }
        checkpoints.committed(channel, replayId);
    }

    /** A stop of the bridge, then a new instance reads what was committed. */
    private ReplayCheckpoints restart() {
        checkpoints.close();
        checkpoints = checkpointsOn(topic);
        return checkpoints;
    }

    @Nested
    class Storage {

        @Test
        void aChannelWithoutACheckpointResumesFromTheConfiguredStart() {
            assertThat(checkpoints.resumeAfter(CONTACTS)).isEmpty();
        }

        @Test
        void aCheckpointRowNamesTheChannelItsReplayIdAndWhen() throws Exception {
            assertThat(JSON.readTree(checkpoints.value(CONTACTS, 15529385L))).isEqualTo(JSON.readTree("""
                    {"channel": "/data/ContactChangeEvent", "replayId": 15529385,
                     "checkpointedAt": "2026-11-27T15:04:05Z"}"""));
        }

        @Test
        void aCommittedCheckpointIsTheCurrentOne() throws Exception {
            checkpoints.resumeAfter(CONTACTS);
            commit(CONTACTS, 12L);

            assertThat(checkpoints.checkpoints()).containsEntry(CONTACTS, 12L);
            assertThat(meters.get("dialer.replay.checkpoint").tag("channel", CONTACTS).gauge().value()).isEqualTo(12);
        }

        @Test
        void aRestartResumesAfterTheLastCheckpointOfEachChannel() throws Exception {
            commit(CONTACTS, 1L);
            commit(CONTACTS, 2L);
            commit(LEADS, 4L);

            ReplayCheckpoints restarted = restart();

            assertThat(restarted.resumeAfter(CONTACTS)).hasValue(2);
            assertThat(restarted.resumeAfter(LEADS)).hasValue(4);
            assertThat(restarted.resumeAfter("/u/DialerControl")).isEmpty();
            assertThat(restarted.checkpoints()).containsExactlyInAnyOrderEntriesOf(Map.of(CONTACTS, 2L, LEADS, 4L));
        }

        @Test
        void aPubSubCheckpointKeepsItsOpaqueReplayIdAcrossARestartAndOlderRowsStayReadable() throws Exception {
            byte[] opaque = {0, 0, 0, 0, 0, 0, 0x12, 0x34, 0x7f};
            String position = java.util.Base64.getEncoder().encodeToString(opaque);
            commit(LEADS, 3L);
            try (KafkaCompactedTopic raw = compactedTopic(topic)) {
                raw.write(CONTACTS, checkpoints.value(CONTACTS, 0x1234L, null, position)).get(30, TimeUnit.SECONDS);
            }
            checkpoints.committed(CONTACTS, 0x1234L, position, null, 1);
            assertThat(checkpoints.positionOf(CONTACTS)).hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(opaque));

            ReplayCheckpoints restarted = restart();

            assertThat(restarted.resumeAfter(CONTACTS)).hasValue(0x1234L);
            assertThat(restarted.positionOf(CONTACTS)).hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(opaque));
            // A row written before Pub/Sub (or by a CometD subscription) has no opaque id: its replay id serves.
            assertThat(restarted.resumeAfter(LEADS)).hasValue(3L);
            assertThat(restarted.positionOf(LEADS)).isEmpty();
        }

        @Test
        void theCheckpointGaugeShowsACheckpointLoadedAtStart() throws Exception {
            commit(CONTACTS, 2L);

            restart().resumeAfter(CONTACTS);

            assertThat(meters.get("dialer.replay.checkpoint").tag("channel", CONTACTS).gauge().value()).isEqualTo(2);
        }

        @Test
        void theTopicIsOpenedOnceOnFirstUse() {
            assertThat(opened).hasValue(0);

            checkpoints.resumeAfter(CONTACTS);
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
        void aCheckpointTopicThatDoesNotExistFailsInsteadOfStartingEmpty() {
            String missing = "dialer-bridge.replay-checkpoints.missing." + UUID.randomUUID();
            Properties settings = new Properties();
            settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            checkpoints.close();
            checkpoints = new ReplayCheckpoints(() -> new KafkaCompactedTopic(missing, settings, settings,
                    Duration.ofSeconds(2)), CLOCK, meters);

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
            checkpoints.committed(CONTACTS, 12L);

            checkpoints.fellBack(CONTACTS, 12L, -2L);

            assertThat(checkpoints.checkpoints()).containsEntry(CONTACTS, 12L);
            assertThat(checkpoints.fallbacks()).containsEntry(CONTACTS, 1L);
        }

        @Test
        void areNoneAtStart() {
            assertThat(checkpoints.fallbacks()).isEmpty();
        }
    }

    @Nested
    class Lag {

        private final Instant[] now = {NOW};
        /** Gauges of the instance under test only: a registry keeps the first gauge of a name and tags. */
        private SimpleMeterRegistry lagMeters = new SimpleMeterRegistry();
        private final Clock moving = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };

        @BeforeEach
        void checkpointsOnAMovingClock() {
            checkpoints.close();
            checkpoints = new ReplayCheckpoints(() -> compactedTopic(topic), moving, lagMeters);
            checkpoints.resumeAfter(CONTACTS);
            checkpoints.resumeAfter(LEADS);
        }

        private double gauge(String name, String channel) {
            return lagMeters.get(name).tag("channel", channel).gauge().value();
        }

        @Test
        void isZeroAndRetentionUnknownBeforeAnyEvent() {
            assertThat(gauge("dialer.replay.lag.seconds", CONTACTS)).isZero();
            assertThat(gauge("dialer.replay.retention.remaining.seconds", CONTACTS)).isNaN();
            assertThat(gauge("dialer.catchup.in.progress", CONTACTS)).isZero();
        }

        @Test
        void countsFromTheSalesforceTimeOfTheOldestEventNotYetCommitted() {
            checkpoints.receiving(CONTACTS, NOW.minusSeconds(90));
            now[0] = NOW.plusSeconds(10);

            assertThat(gauge("dialer.replay.lag.seconds", CONTACTS)).isEqualTo(100);

            checkpoints.committed(CONTACTS, 7L, NOW.minusSeconds(60), 40);

            assertThat(gauge("dialer.replay.lag.seconds", CONTACTS)).isEqualTo(70);
            assertThat(gauge("dialer.catchup.in.progress", CONTACTS)).isEqualTo(1);
        }

        @Test
        void isZeroOnceTheChannelCommittedWhatItReceived() {
            checkpoints.receiving(CONTACTS, NOW.minusSeconds(90));
            checkpoints.committed(CONTACTS, 7L, NOW.minusSeconds(90), 1);

            checkpoints.caughtUp(CONTACTS);
            now[0] = NOW.plus(Duration.ofHours(5));

            assertThat(gauge("dialer.replay.lag.seconds", CONTACTS)).isZero();
            assertThat(gauge("dialer.catchup.in.progress", CONTACTS)).isZero();
        }

        @Test
        void aCatchUpLogsItsProgressEveryTenSecondsAndItsEnd() {
            ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                    .getLogger(ReplayCheckpoints.class);
            ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines =
                    new ch.qos.logback.core.read.ListAppender<>();
            lines.start();
            log.addAppender(lines);
            try {
                checkpoints.receiving(CONTACTS, NOW.minus(Duration.ofHours(2)));
                for (int second = 0; second <= 20; second++) {
                    now[0] = NOW.plusSeconds(second);
                    checkpoints.committed(CONTACTS, second, NOW.minus(Duration.ofHours(2)).plusSeconds(second * 60L),
                            100);
                }
                checkpoints.caughtUp(CONTACTS);
            } finally {
                log.detachAppender(lines);
            }

            assertThat(lines.list).extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                    .containsExactly(
                            "Catching up /data/ContactChangeEvent: 7200 s behind Salesforce",
                            "Catching up /data/ContactChangeEvent: 1100 events committed so far, 110.0 events/s,"
                                    + " 6610 s behind Salesforce",
                            "Catching up /data/ContactChangeEvent: 2100 events committed so far, 100.0 events/s,"
                                    + " 6020 s behind Salesforce",
                            "Caught up /data/ContactChangeEvent: 2100 events committed in 20 s");
        }

        @Test
        void retentionRemainingIsTheStreamsRetentionLessTheCheckpointsAge() {
            checkpoints.committed(CONTACTS, 7L, NOW.minus(Duration.ofHours(60)), 1);
            checkpoints.committed(LEADS, 3L, NOW.minus(Duration.ofHours(20)), 1);

            assertThat(gauge("dialer.replay.retention.remaining.seconds", CONTACTS)).isEqualTo(12 * 3600);
            assertThat(gauge("dialer.replay.retention.remaining.seconds", LEADS)).isEqualTo(4 * 3600);
            assertThat(checkpoints.lags().get(CONTACTS).retentionRemaining()).isEqualTo(Duration.ofHours(12));
        }

        @Test
        void theCheckpointsEventTimeSurvivesARestart() throws Exception {
            Instant eventTime = NOW.minus(Duration.ofHours(2));
            try (KafkaCompactedTopic raw = compactedTopic(topic)) {
                raw.write(CONTACTS, checkpoints.value(CONTACTS, 9L, eventTime)).get(30, TimeUnit.SECONDS);
            }
            checkpoints.close();
            lagMeters = new SimpleMeterRegistry();
            checkpoints = new ReplayCheckpoints(() -> compactedTopic(topic), moving, lagMeters);

            checkpoints.resumeAfter(CONTACTS);

            assertThat(checkpoints.lags().get(CONTACTS).eventTime()).isEqualTo(eventTime);
            assertThat(gauge("dialer.replay.retention.remaining.seconds", CONTACTS)).isEqualTo(70 * 3600);
        }
    }
}
