package io.dialerbridge.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dialerbridge.salesforce.stream.StreamKind;
import io.dialerbridge.table.CompactedTable;
import io.dialerbridge.table.CompactedTables;
import io.dialerbridge.table.KafkaCompactedTopic;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable replay position of every Salesforce channel. A channel's checkpoint is the replay id of the last event
 * whose commands (or dead letter) Kafka committed, with those of every event received before it on the channel.
 * Checkpoints live in a compacted topic keyed by channel, read once at start; a channel's checkpoint is written in the
 * same Kafka transaction as the commands of the events it covers ({@code ChannelTransactions}), so for a
 * {@code read_committed} reader a checkpoint and the commands before it are there together or not at all, and a restart
 * resumes right after the last committed event: nothing lost, nothing sent twice.
 *
 * <p>With each checkpoint goes the Salesforce time of its event (CDC {@code commitTimestamp}, the {@code createdDate}
 * of the others: the commands' {@code ce_time}), so the replay lag and how long the checkpoint stays within
 * Salesforce's retention ({@link StreamKind#retention()}) are known, also after a restart. Both are computed when they
 * are read (a scrape, a health check), never per event. A channel that drains a backlog far behind Salesforce (a
 * catch-up) logs its progress every {@link #PROGRESS_INTERVAL}.
 */
public class ReplayCheckpoints implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplayCheckpoints.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A channel this far behind Salesforce while it drains its events is catching up, and says how it goes. */
    public static final Duration CATCH_UP_LAG = Duration.ofMinutes(1);
    /** How often a catch-up logs its progress. */
    public static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(10);

    private final Clock clock;
    private final Map<String, Long> checkpoints = new ConcurrentHashMap<>();
    /** The opaque Pub/Sub replay id (base64) of each channel's checkpoint, for checkpoints written over Pub/Sub. */
    private final Map<String, String> replayPositions = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> fallbacks = new ConcurrentHashMap<>();
    private final Map<String, Position> positions = new ConcurrentHashMap<>();
    private final MeterRegistry meters;
    private final CompactedTable table;

    /** @param storage opens the checkpoint topic; called once, on first use, when the Kafka settings are known */
    public ReplayCheckpoints(Supplier<KafkaCompactedTopic> storage, Clock clock, MeterRegistry meters) {
        this.clock = clock;
        this.meters = meters;
        this.table = new CompactedTable(storage, rows -> {
            rows.forEach((channel, value) -> {
                checkpoints.put(channel, parse(channel, value));
                String position = replayPosition(value);
                if (position != null) {
                    replayPositions.put(channel, position);
                } else {
                    replayPositions.remove(channel);
                }
                position(channel).eventTime = eventTime(value);
            });
            LOG.info("Loaded replay checkpoints: {}", checkpoints);
        });
    }

    /** Reads the checkpoint topic whole; the start does this before any route runs ({@link CompactedTables}). */
    public void load() {
        table.topic();
    }

    /** Reads the checkpoint topic again: a bridge taking over leadership resumes after the old leader's checkpoints. */
    public void catchUp() {
        table.catchUp();
    }

    /** The replay id to resume the channel after, when it has a checkpoint; reads the topic on first use. */
    public OptionalLong resumeAfter(String channel) {
        table.topic();
        // Registered as the channel subscribes, so a checkpoint loaded at start shows too (again: a no-op).
        Gauge.builder("dialer.replay.checkpoint", checkpoints, table -> table.getOrDefault(channel, 0L))
                .tag("channel", channel)
                .description("The last replay id whose commands, and every earlier event's, Kafka committed")
                .register(meters);
        Position position = position(channel);
        Gauge.builder("dialer.replay.lag.seconds", position, p -> seconds(p.lag(clock.instant())))
                .tag("channel", channel)
                .description("How far the channel is behind Salesforce: the age of its oldest event not yet committed"
                        + " to Kafka (0 when it has committed every event it received)")
                .register(meters);
        Gauge.builder("dialer.replay.retention.remaining.seconds", position,
                        p -> seconds(p.retentionRemaining(clock.instant())))
                .tag("channel", channel)
                .description("How long until the checkpoint's event leaves Salesforce's retention (24 h PushTopic and"
                        + " generic, 72 h CDC and platform events); NaN while no checkpoint's time is known")
                .register(meters);
        Gauge.builder("dialer.catchup.in.progress", position, p -> p.catchUp == null ? 0 : 1)
                .tag("channel", channel)
                .description("1 while the channel drains events more than a minute behind Salesforce")
                .register(meters);
        Long checkpoint = checkpoints.get(channel);
        return checkpoint == null ? OptionalLong.empty() : OptionalLong.of(checkpoint);
    }

    /** The checkpoint topic's value for a channel at this replay id, to be written in the channel's transaction. */
    public String value(String channel, long replayId) {
        return value(channel, replayId, null);
    }

    /**
     * The checkpoint topic's value for a channel at this replay id, with the Salesforce time of its event when known.
     */
    public String value(String channel, long replayId, Instant eventTime) {
        return value(channel, replayId, eventTime, null);
    }

    /**
     * The checkpoint topic's value, with the event's opaque Pub/Sub replay id (base64) when it came over Pub/Sub: a
     * {@code replayPosition} member that rows written before it lack, and that a CometD subscription does not need.
     */
    public String value(String channel, long replayId, Instant eventTime, String replayPosition) {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("channel", channel);
        value.put("replayId", replayId);
        if (replayPosition != null) {
            value.put("replayPosition", replayPosition);
        }
        value.put("checkpointedAt", clock.instant().toString());
        if (eventTime != null) {
            value.put("eventTime", eventTime.toString());
        }
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The transaction that wrote the channel's checkpoint at this replay id committed. */
    public void committed(String channel, long replayId) {
        committed(channel, replayId, null, 1);
    }

    /**
     * The transaction that wrote the channel's checkpoint at this replay id committed.
     *
     * @param eventTime the Salesforce time of the newest event of the transaction whose time is known, or null
     * @param events how many events the transaction held
     */
    public void committed(String channel, long replayId, Instant eventTime, int events) {
        committed(channel, replayId, null, eventTime, events);
    }

    /**
     * The transaction that wrote the channel's checkpoint at this replay id (and this opaque Pub/Sub replay id, null
     * for a CometD event) committed.
     */
    public void committed(String channel, long replayId, String replayPosition, Instant eventTime, int events) {
        checkpoints.put(channel, replayId);
        if (replayPosition != null) {
            replayPositions.put(channel, replayPosition);
        } else {
            replayPositions.remove(channel);
        }
        Position position = position(channel);
        synchronized (position) {
            if (eventTime != null) {
                position.eventTime = eventTime;
                if (position.behindSince != null) {
                    position.behindSince = eventTime;
                }
            }
            progress(channel, position, events);
        }
    }

    /**
     * An event of the channel reached its transaction: when the channel had committed everything before, it is now
     * behind by that event's age (or, without its time, by its checkpoint's).
     */
    public void receiving(String channel, Instant eventTime) {
        Position position = position(channel);
        if (position.behindSince == null) {
            synchronized (position) {
                if (position.behindSince == null) {
                    Instant since = eventTime != null ? eventTime : position.eventTime;
                    position.behindSince = since != null ? since : clock.instant();
                }
            }
        }
    }

    /** The channel committed every event it received, and none waits behind them. */
    public void caughtUp(String channel) {
        Position position = position(channel);
        synchronized (position) {
            position.behindSince = null;
            CatchUp catchUp = position.catchUp;
            if (catchUp != null) {
                position.catchUp = null;
                Duration took = Duration.between(catchUp.started, clock.instant());
                LOG.info("Caught up {}: {} events committed in {} s", channel, catchUp.events,
                        Math.max(0, took.toSeconds()));
            }
        }
    }

    /** What is known of a channel's replay position, for the health details and the demo. */
    public record Lag(long checkpoint, Instant eventTime, Duration lag, Duration retentionRemaining,
            boolean catchingUp) {
    }

    /** Each channel's position as it is now; lag and retention are null where not known. */
    public Map<String, Lag> lags() {
        Instant now = clock.instant();
        Map<String, Lag> lags = new java.util.TreeMap<>();
        positions.forEach((channel, position) -> lags.put(channel, new Lag(checkpoints.getOrDefault(channel, 0L),
                position.eventTime, position.lag(now), position.retentionRemaining(now), position.catchUp != null)));
        return lags;
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

    /** The opaque Pub/Sub replay id of the channel's checkpoint, when a Pub/Sub subscription wrote it. */
    public Optional<byte[]> positionOf(String channel) {
        table.topic();
        String position = replayPositions.get(channel);
        return position == null ? Optional.empty() : Optional.of(Base64.getDecoder().decode(position));
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

    private Position position(String channel) {
        return positions.computeIfAbsent(channel, name -> new Position(StreamKind.of(name).retention()));
    }

    /** Counts a catch-up's events and logs how it goes, at most every {@link #PROGRESS_INTERVAL}. */
    private void progress(String channel, Position position, int events) {
        Instant now = clock.instant();
        Duration lag = position.lag(now);
        if (position.catchUp == null) {
            if (lag == null || lag.compareTo(CATCH_UP_LAG) < 0) {
                return;
            }
            position.catchUp = new CatchUp(now);
            LOG.info("Catching up {}: {} s behind Salesforce", channel, lag.toSeconds());
        }
        CatchUp catchUp = position.catchUp;
        catchUp.events += events;
        catchUp.sinceLog += events;
        Duration sinceLog = Duration.between(catchUp.loggedAt, now);
        if (sinceLog.compareTo(PROGRESS_INTERVAL) >= 0) {
            double rate = catchUp.sinceLog / Math.max(0.001, sinceLog.toMillis() / 1000.0);
            LOG.info("Catching up {}: {} events committed so far, {} events/s, {} s behind Salesforce", channel,
                    catchUp.events, String.format(java.util.Locale.ROOT, "%.1f", rate),
                    lag == null ? "?" : lag.toSeconds());
            catchUp.loggedAt = now;
            catchUp.sinceLog = 0;
        }
    }

    private static double seconds(Duration duration) {
        return duration == null ? Double.NaN : duration.toMillis() / 1000.0;
    }

    private static String replayPosition(String value) {
        try {
            return JSON.readTree(value).path("replayPosition").asText(null);
        } catch (JsonProcessingException | RuntimeException e) {
            return null;
        }
    }

    private static Instant eventTime(String value) {
        try {
            String time = JSON.readTree(value).path("eventTime").asText(null);
            return time == null ? null : Instant.parse(time);
        } catch (JsonProcessingException | RuntimeException e) {
            return null;
        }
    }

    /** One channel's times; written by its transactions' thread, read by scrapes. */
    private static final class Position {
        final Duration retention;
        /** The Salesforce time of the checkpoint's event, when known. */
        volatile Instant eventTime;
        /** While the channel has events not yet committed: the time of the oldest of them, bounded from below. */
        volatile Instant behindSince;
        volatile CatchUp catchUp;

        Position(Duration retention) {
            this.retention = retention;
        }

        Duration lag(Instant now) {
            Instant since = behindSince;
            return since == null ? Duration.ZERO : max0(Duration.between(since, now));
        }

        Duration retentionRemaining(Instant now) {
            Instant time = eventTime;
            return time == null ? null : retention.minus(Duration.between(time, now));
        }

        private static Duration max0(Duration duration) {
            return duration.isNegative() ? Duration.ZERO : duration;
        }
    }

    /** A catch-up under way: when it started, and the events it committed. */
    private static final class CatchUp {
        final Instant started;
        Instant loggedAt;
        long events;
        long sinceLog;

        CatchUp(Instant started) {
            this.started = started;
            this.loggedAt = started;
        }
    }

    private static long parse(String channel, String value) {
        try {
            return JSON.readTree(value).get("replayId").asLong();
        } catch (JsonProcessingException | NullPointerException e) {
            throw new IllegalStateException("Unreadable replay checkpoint for " + channel + ": " + value, e);
        }
    }
}
