package io.dialerbridge.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable replay position of every Salesforce channel: the replay id of the last event whose commands (or dead
 * letter) Kafka committed, with those of every event received before it on the channel. Checkpoints live in a
 * compacted topic keyed by channel, read once at start; a channel's checkpoint is written in the same Kafka
 * transaction as the commands of the events it covers ({@code ChannelTransactions}), so for a {@code read_committed}
 * reader a checkpoint and the commands before it are there together or not at all, and a restart resumes right after
 * the last committed event: nothing lost, nothing sent twice.
 */
public class ReplayCheckpoints implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplayCheckpoints.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Clock clock;
    private final Map<String, Long> checkpoints = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> fallbacks = new ConcurrentHashMap<>();
    private final MeterRegistry meters;
    private final CompactedTable table;

    /** @param storage opens the checkpoint topic; called once, on first use, when the Kafka settings are known */
    public ReplayCheckpoints(Supplier<KafkaCompactedTopic> storage, Clock clock, MeterRegistry meters) {
        this.clock = clock;
        this.meters = meters;
        this.table = new CompactedTable(storage, rows -> {
            rows.forEach((channel, value) -> checkpoints.put(channel, parse(channel, value)));
            LOG.info("Loaded replay checkpoints: {}", checkpoints);
        });
    }

    /** Reads the checkpoint topic whole; the start does this before any route runs ({@link CompactedTables}). */
    public void load() {
        table.topic();
    }

    /** The replay id to resume the channel after, when it has a checkpoint; reads the topic on first use. */
    public OptionalLong resumeAfter(String channel) {
        table.topic();
        // Registered as the channel subscribes, so a checkpoint loaded at start shows too (again: a no-op).
        Gauge.builder("dialer.replay.checkpoint", checkpoints, table -> table.getOrDefault(channel, 0L))
                .tag("channel", channel)
                .description("The last replay id whose commands, and every earlier event's, Kafka committed")
                .register(meters);
        Long checkpoint = checkpoints.get(channel);
        return checkpoint == null ? OptionalLong.empty() : OptionalLong.of(checkpoint);
    }

    /** The checkpoint topic's value for a channel at this replay id, to be written in the channel's transaction. */
    public String value(String channel, long replayId) {
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

    /** The transaction that wrote the channel's checkpoint at this replay id committed. */
    public void committed(String channel, long replayId) {
        checkpoints.put(channel, replayId);
    }

    /** Salesforce refused to resume after this replay id (it left retention); the consumer fell back. */
    public void fellBack(String channel, long refusedReplayId, long fallbackReplayId) {
        fallbacks.computeIfAbsent(channel, key -> new AtomicLong()).incrementAndGet();
        meters.counter("dialer.replay.fallbacks", "channel", channel).increment();
    }

    @Override
    public void close() {
        table.close();
    }

    /** The committed checkpoint per channel. */
    public Map<String, Long> checkpoints() {
        return Map.copyOf(checkpoints);
    }

    /** How often each channel's checkpoint was refused as expired. */
    public Map<String, Long> fallbacks() {
        Map<String, Long> counts = new HashMap<>();
        fallbacks.forEach((channel, count) -> counts.put(channel, count.get()));
        return counts;
    }

    private static long parse(String channel, String value) {
        try {
            return JSON.readTree(value).get("replayId").asLong();
        } catch (JsonProcessingException | NullPointerException e) {
            throw new IllegalStateException("Unreadable replay checkpoint for " + channel + ": " + value, e);
        }
    }
}
