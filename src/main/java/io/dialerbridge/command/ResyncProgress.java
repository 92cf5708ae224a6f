package io.dialerbridge.command;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports how a resync is getting on. Every {@link #INTERVAL} it logs how many records it read, how fast, and how many
 * are left of the query it pages through (Salesforce's {@code totalSize}), and it exports the same per entity
 * ({@code dialer.resync.in.progress}, {@code dialer.resync.records}, {@code dialer.resync.remaining}).
 *
 * <p>The meters are registered for every entity a resync can read as soon as this class is used, so they are on the
 * scrape before the first resync. They live in Micrometer's global registry, which Spring Boot feeds to the
 * Prometheus endpoint, and so their state is per process.
 */
final class ResyncProgress {

    /** The entities a resync reads again. */
    static final List<String> ENTITIES = List.of("Contact", "Lead", "CampaignMember");
    /** How often a resync under way logs its progress. */
    static final Duration INTERVAL = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(ResyncProgress.class);
    private static final Map<String, State> STATES = new ConcurrentHashMap<>();

    private final String channel;
    private final String entity;
    private final State state;
    /** Nanoseconds, as {@link System#nanoTime()}. */
    private final LongSupplier ticker;
    private final long started;
    private long loggedAt;
    private long readSinceLog;
    private String query = "records";
    private long querySize = -1;
    private long queryRead;

    private ResyncProgress(String channel, String entity, LongSupplier ticker) {
        this.channel = channel;
        this.entity = entity;
        this.state = state(entity);
        this.ticker = ticker;
        this.started = ticker.getAsLong();
        this.loggedAt = started;
    }

    /** Registers the meters of every entity (idempotent). */
    static void register() {
        ENTITIES.forEach(ResyncProgress::state);
    }

    /** A resync of the entity on the channel starts. */
    static ResyncProgress start(String channel, String entity) {
        return start(channel, entity, System::nanoTime);
    }

    /** A resync of the entity on the channel starts, timed by the ticker (nanoseconds). */
    static ResyncProgress start(String channel, String entity, LongSupplier ticker) {
        ResyncProgress progress = new ResyncProgress(channel, entity, ticker);
        progress.state.running.incrementAndGet();
        LOG.info("Resynchronising {} on {}: reading every record again", entity, channel);
        return progress;
    }

    /** A query of the resync starts; {@code totalSize} is what Salesforce says it selects, -1 when not known. */
    void query(String what, long totalSize) {
        query = what;
        querySize = totalSize;
        queryRead = 0;
        state.remaining = totalSize < 0 ? Double.NaN : totalSize;
    }

    /** A batch of the current query was read. */
    void read(int records) {
        state.records.increment(records);
        queryRead += records;
        readSinceLog += records;
        if (querySize >= 0) {
            state.remaining = Math.max(0, querySize - queryRead);
        }
        long now = ticker.getAsLong();
        if (now - loggedAt >= INTERVAL.toNanos()) {
            double rate = readSinceLog / Math.max(0.001, (now - loggedAt) / 1e9);
            LOG.info("Resynchronising {} on {}: {} {} read{}, {} records/s", entity, channel, queryRead, query,
                    querySize >= 0 ? " of " + querySize + " (" + Math.max(0, querySize - queryRead) + " left)" : "",
                    String.format(Locale.ROOT, "%.1f", rate));
            loggedAt = now;
            readSinceLog = 0;
        }
    }

    /** The resync ended, done or not. */
    void finished() {
        if (state.running.decrementAndGet() == 0) {
            state.remaining = 0;
        }
        LOG.debug("Resync of {} on {} took {} ms", entity, channel, (ticker.getAsLong() - started) / 1_000_000);
    }

    private static State state(String entity) {
        return STATES.computeIfAbsent(entity, State::new);
    }

    /** An entity's meters and what they read. */
    private static final class State {
        final java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();
        final Counter records;
        volatile double remaining;

        State(String entity) {
            records = Counter.builder("dialer.resync.records").tag("entity", entity)
                    .description("Records a resync read again from Salesforce (live and deleted)")
                    .register(Metrics.globalRegistry);
            Gauge.builder("dialer.resync.in.progress", this, state -> state.running.get()).tag("entity", entity)
                    .description("Resyncs of the entity under way").strongReference(true)
                    .register(Metrics.globalRegistry);
            Gauge.builder("dialer.resync.remaining", this, state -> state.remaining).tag("entity", entity)
                    .description("Records left of the query the resync pages through (Salesforce's totalSize less"
                            + " what it read); NaN when Salesforce did not say")
                    .strongReference(true).register(Metrics.globalRegistry);
        }
    }
}
