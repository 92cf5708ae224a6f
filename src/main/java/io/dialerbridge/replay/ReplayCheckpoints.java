package io.dialerbridge.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dialerbridge.salesforce.stream.StreamPositions;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.camel.Header;
import org.apache.camel.component.salesforce.SalesforceConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable replay position of every Salesforce channel. A channel's checkpoint advances to an event's replay id
 * only once Kafka has acknowledged every command of that event and of every event received before it on the channel,
 * so a restart resumes right after the last event whose commands are safe, and nothing in between is lost.
 * Checkpoints live in a compacted topic keyed by channel. Each channel's latest checkpoint is written at most once per
 * write interval (and on close), not once per event: a crash can replay that interval's events again, with the same
 * ids, but the topic sees a handful of records per second instead of one per event.
 */
public class ReplayCheckpoints implements StreamPositions, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplayCheckpoints.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Clock clock;
    private final Map<String, ChannelProgress> progress = new ConcurrentHashMap<>();
    private final Map<String, Long> checkpoints = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> fallbacks = new ConcurrentHashMap<>();
    /** Checkpoints advanced since they were last written, per channel. */
    private final Map<String, Long> unwritten = new ConcurrentHashMap<>();
    private final MeterRegistry meters;
    private final CompactedTable table;
    private final ScheduledExecutorService writer;

    /**
     * @param storage opens the checkpoint topic; called once, on first use, when the Kafka settings are known
     * @param writeInterval how often advanced checkpoints are written; zero writes each advance at once
     */
    public ReplayCheckpoints(Supplier<KafkaCompactedTopic> storage, Clock clock, MeterRegistry meters,
            Duration writeInterval) {
        this.clock = clock;
        this.meters = meters;
        if (writeInterval.isZero()) {
            this.writer = null;
        } else {
            this.writer = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "replay-checkpoint-writer");
                thread.setDaemon(true);
                return thread;
            });
            long millis = Math.max(1, writeInterval.toMillis());
            writer.scheduleWithFixedDelay(this::writeAdvanced, millis, millis, TimeUnit.MILLISECONDS);
        }
        this.table = new CompactedTable(storage, rows -> {
            rows.forEach((channel, value) -> checkpoints.put(channel, parse(channel, value)));
            LOG.info("Loaded replay checkpoints: {}", checkpoints);
        });
    }

    /** Reads the checkpoint topic whole; the start does this before any route runs ({@link CompactedTables}). */
    public void load() {
        table.topic();
    }

    private KafkaCompactedTopic topic() {
        return table.topic();
    }

    @Override
    public OptionalLong resumeAfter(String channel) {
        topic();
        // The channel is (re)subscribing and Salesforce will send again whatever was in flight when its consumer
        // stopped; forgotten here, those events cannot hold the checkpoint back for the rest of the JVM's life.
        progress.remove(channel);
        // Registered as the channel subscribes, so a checkpoint loaded at start shows too (again: a no-op).
        Gauge.builder("dialer.replay.checkpoint", checkpoints, table -> table.getOrDefault(channel, 0L))
                .tag("channel", channel)
                .description("The last replay id whose commands, and every earlier event's, Kafka acknowledged")
                .register(meters);
        Long checkpoint = checkpoints.get(channel);
        return checkpoint == null ? OptionalLong.empty() : OptionalLong.of(checkpoint);
    }

    @Override
    public void received(String channel, long replayId) {
        progress.computeIfAbsent(channel, key -> new ChannelProgress()).received(replayId);
    }

    /**
     * Route step after Kafka acknowledged an event's commands (or its dead letter): advances the channel's checkpoint
     * as far as every earlier event is acknowledged too.
     */
    public void acknowledge(@Header(SalesforceConstants.HEADER_SALESFORCE_CHANNEL) String channel,
            @Header(SalesforceConstants.HEADER_SALESFORCE_REPLAY_ID) Long replayId) {
        if (channel == null || replayId == null) {
            return;
        }
        ChannelProgress channelProgress = progress.get(channel);
        if (channelProgress == null) {
            return;
        }
        OptionalLong advanced = channelProgress.acknowledged(replayId);
        if (advanced.isPresent()) {
            checkpoints.put(channel, advanced.getAsLong());
            unwritten.put(channel, advanced.getAsLong());
            if (writer == null) {
                writeAdvanced();
            }
        }
    }

    /** Writes each channel's latest advanced checkpoint; one that cannot be written is kept for the next round. */
    private synchronized void writeAdvanced() {
        for (String channel : unwritten.keySet()) {
            Long replayId = unwritten.remove(channel);
            if (replayId == null) {
                continue;
            }
            try {
                topic().write(channel, format(channel, replayId));
            } catch (RuntimeException e) {
                unwritten.putIfAbsent(channel, replayId);
                LOG.warn("Could not write the replay checkpoint of {}: {}", channel, e.toString());
                return;
            }
        }
    }

    @Override
    public void fellBack(String channel, long refusedReplayId, long fallbackReplayId) {
        fallbacks.computeIfAbsent(channel, key -> new AtomicLong()).incrementAndGet();
        meters.counter("dialer.replay.fallbacks", "channel", channel).increment();
    }

    /** Writes the latest checkpoints and waits for them to reach Kafka, so a clean stop loses no progress. */
    @Override
    public void close() {
        if (writer != null) {
            writer.shutdown();
            try {
                writer.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!unwritten.isEmpty()) {
            writeAdvanced();
        }
        table.close();
    }

    /** The current checkpoint per channel (Kafka has it within the write interval). */
    public Map<String, Long> checkpoints() {
        return Map.copyOf(checkpoints);
    }

    /** How often each channel's checkpoint was refused as expired. */
    public Map<String, Long> fallbacks() {
        Map<String, Long> counts = new HashMap<>();
        fallbacks.forEach((channel, count) -> counts.put(channel, count.get()));
        return counts;
    }

    private String format(String channel, long replayId) {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("channel", channel);
        value.put("replayId", replayId);
        value.put("checkpointedAt", clock.instant().toString());
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long parse(String channel, String value) {
        try {
            return JSON.readTree(value).get("replayId").asLong();
        } catch (JsonProcessingException | NullPointerException e) {
            throw new IllegalStateException("Unreadable replay checkpoint for " + channel + ": " + value, e);
        }
    }

    /** The events of one channel that arrived and are not yet acknowledged, in arrival order. */
    private static final class ChannelProgress {
        private final Deque<Long> inFlight = new ArrayDeque<>();
        /** How often each replay id is in {@link #inFlight}: the membership test, without walking the queue. */
        private final Map<Long, Integer> pending = new HashMap<>();
        private final Map<Long, Integer> acknowledged = new HashMap<>();

        synchronized void received(long replayId) {
            inFlight.addLast(replayId);
            pending.merge(replayId, 1, Integer::sum);
        }

        synchronized OptionalLong acknowledged(long replayId) {
            if (!pending.containsKey(replayId)) {
                // a late acknowledgement from before the channel resubscribed
                return OptionalLong.empty();
            }
            acknowledged.merge(replayId, 1, Integer::sum);
            OptionalLong advanced = OptionalLong.empty();
            while (!inFlight.isEmpty() && acknowledged.containsKey(inFlight.peekFirst())) {
                long done = inFlight.pollFirst();
                acknowledged.computeIfPresent(done, (id, count) -> count > 1 ? count - 1 : null);
                pending.computeIfPresent(done, (id, count) -> count > 1 ? count - 1 : null);
                if (done >= 0) {
                    // a negative id is a resync request: it held the checkpoint back, but Salesforce knows no such id
                    advanced = OptionalLong.of(done);
                }
            }
            return advanced;
        }
    }
}
