package io.dialerbridge.table;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start's check and load of every compacted topic the bridge keeps state in.
 *
 * <p>The tables (suppressions, campaign members, replay checkpoints, published calls, …) are checked and read whole
 * before any route starts, so no event ever waits on, or fails because of, a table that is not loaded yet. A table joins by {@link #register registering} its topic and how to load it, when its bean is made. At start
 * {@link #prepare} creates missing topics (when the bridge may), refuses to start when a table's topic is missing or
 * not compacted (naming the topic and the fix: a table on a deleting topic would forget Do Not Call marks with age),
 * and loads every table in registration order. A slow or unreachable broker is waited for, with a logged retry, for
 * at most the start's patience; then the start fails. Nothing of this turns into a dead letter, because no route has
 * started.
 */
public final class CompactedTables {

    private static final Logger LOG = LoggerFactory.getLogger(CompactedTables.class);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration LONGEST_RETRY_DELAY = Duration.ofSeconds(15);

    /** One registered table: its topic, what it holds (for messages), how to load it, and how to create its topic. */
    private record Table(String topic, String holds, Runnable load, NewTopic definition, Runnable catchUp) {
    }

    /** A step run before the tables are read, e.g. fencing the transactions a crashed predecessor left open. */
    private record Step(String what, Runnable run) {
    }

    private final List<Table> tables = new CopyOnWriteArrayList<>();
    private final List<Step> beforeLoading = new CopyOnWriteArrayList<>();
    private final Set<String> loaded = Collections.synchronizedSet(new LinkedHashSet<>());
    private final LongConsumer pause;
    private final java.util.concurrent.CountDownLatch prepared = new java.util.concurrent.CountDownLatch(1);

    public CompactedTables() {
        this(CompactedTables::sleep);
    }

    /** @param pause waits the given milliseconds between two attempts (tests pass one that does not sleep) */
    CompactedTables(LongConsumer pause) {
        this.pause = pause;
    }

    /**
     * Registers a table whose topic is one of the contract's (created with them when {@code dialer.topics.create}).
     *
     * @param topic the compacted topic the table lives in
     * @param holds what the table holds, as the start-up messages name it ("Do Not Call suppressions")
     * @param load reads the topic whole into the table; called once at start, and again only after it failed
     */
    public void register(String topic, String holds, Runnable load) {
        tables.add(new Table(topic, holds, load, null, null));
    }

    /**
     * Registers a table that another bridge may write while this one waits as a standby: {@code catchUp} brings it up
     * to everything committed so far, when this bridge takes over leadership ({@link #catchUp}).
     */
    public void register(String topic, String holds, Runnable load, Runnable catchUp) {
        tables.add(new Table(topic, holds, load, null, catchUp));
    }

    /** Registers a table whose topic is not among the contract's: created from {@code definition} when missing. */
    public void register(NewTopic definition, String holds, Runnable load) {
        tables.add(new Table(definition.name(), holds, load, definition, null));
    }

    /**
     * Registers a step {@link #prepare} runs, with the same patience, after the topics are checked and before any
     * table is read: what must hold for a {@code read_committed} read to see everything committed.
     */
    public void beforeLoading(String what, Runnable step) {
        beforeLoading.add(new Step(what, step));
    }

    /** The topics of the registered tables, in registration order. */
    public List<String> topics() {
        return tables.stream().map(Table::topic).toList();
    }

    /** The topics whose tables are loaded. */
    public Set<String> loaded() {
        synchronized (loaded) {
            return Set.copyOf(loaded);
        }
    }

    /**
     * Makes every registered table ready, before any route starts: creates what is missing when {@code create} (the
     * contract's topics and the tables' own), checks that each table's topic exists and is compacted, and loads each.
     *
     * @param adminSettings the Kafka admin client settings
     * @param create whether the bridge may create missing topics ({@code dialer.topics.create})
     * @param contractTopics the other topics to create with them when {@code create}
     * @param patience how long a slow broker is waited for before the start fails
     * @throws IllegalStateException naming each unusable topic and the fix, or the broker that did not answer
     */
    public void prepare(Properties adminSettings, boolean create, Collection<NewTopic> contractTopics,
            Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        String brokers = String.valueOf(adminSettings.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
        Set<String> created = new LinkedHashSet<>();
        if (create) {
            List<NewTopic> wanted = new ArrayList<>(contractTopics);
            tables.stream().map(Table::definition).filter(definition -> definition != null).forEach(wanted::add);
            patiently("create the missing topics at " + brokers, deadline, patience,
                    () -> createMissing(adminSettings, wanted));
            wanted.forEach(topic -> created.add(topic.name()));
        }
        patiently("check the state topics at " + brokers, deadline, patience, () -> check(adminSettings, created));
        for (Step step : beforeLoading) {
            patiently(step.what(), deadline, patience, step.run());
        }
        for (Table table : tables) {
            if (loaded.contains(table.topic())) {
                continue;
            }
            patiently("read " + table.topic() + " (" + table.holds() + ")", deadline, patience, () -> {
                long started = System.nanoTime();
                table.load().run();
                LOG.info("Loaded {} from {} in {} ms", table.holds(), table.topic(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            });
            loaded.add(table.topic());
        }
        prepared.countDown();
    }

    /** Waits until {@link #prepare} has read every table (the start's state), so a takeover never runs before it. */
    public void awaitPrepared() {
        try {
            prepared.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the state to be read", e);
        }
    }

    /**
     * For a bridge taking over leadership, after it has fenced the old leader's writers: every table another bridge
     * writes is brought up to what is committed now (checkpoints and memberships read again, the suppressions'
     * followers waited for), each with the start's patience, before any route screens or writes.
     */
    public void catchUp(Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        for (Table table : tables) {
            if (table.catchUp() != null) {
                patiently("catch up with " + table.topic() + " (" + table.holds() + ")", deadline, patience, () -> {
                    long started = System.nanoTime();
                    table.catchUp().run();
                    LOG.info("Caught up with {} from {} in {} ms", table.holds(), table.topic(),
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                });
            }
        }
    }

    /** Creates whatever of these topics does not exist yet, in one request; existing topics are left as they are. */
    public static void createMissing(Properties adminSettings, Collection<NewTopic> topics) {
        try (Admin admin = Admin.create(adminSettings)) {
            for (Map.Entry<String, KafkaFuture<Void>> created : admin.createTopics(topics).values().entrySet()) {
                try {
                    created.getValue().get(ADMIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                    LOG.info("Created Kafka topic {}", created.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new KafkaAdminException("Could not create Kafka topic " + created.getKey(),
                                e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating Kafka topics", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new org.apache.kafka.common.errors.TimeoutException("Kafka did not answer within "
                    + ADMIN_TIMEOUT.toSeconds() + " s", e);
        }
    }

    /**
     * Every table's topic exists and is compacted; otherwise one message naming each problem and its fix.
     *
     * @param created the topics just created or found existing, which a broker may not know yet for a moment
     */
    private void check(Properties adminSettings, Set<String> created) {
        Map<String, Table> byTopic = new LinkedHashMap<>();
        tables.forEach(table -> byTopic.putIfAbsent(table.topic(), table));
        List<String> problems = new ArrayList<>();
        try (Admin admin = Admin.create(adminSettings)) {
            Map<ConfigResource, KafkaFuture<Config>> configs = admin.describeConfigs(byTopic.keySet().stream()
                    .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic)).toList()).values();
            for (Map.Entry<ConfigResource, KafkaFuture<Config>> described : configs.entrySet()) {
                Table table = byTopic.get(described.getKey().name());
                try {
                    Config config = described.getValue().get(ADMIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                    ConfigEntry policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG);
                    if (!isCompacted(policy == null ? null : policy.value())) {
                        problems.add(notCompacted(table, policy == null ? null : policy.value()));
                    }
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                        if (created.contains(table.topic())) {
                            // Created a moment ago and not yet in every broker's metadata: look again.
                            throw (UnknownTopicOrPartitionException) e.getCause();
                        }
                        problems.add(missing(table));
                    } else {
                        throw new KafkaAdminException("Could not describe Kafka topic " + table.topic(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while checking Kafka topics", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new org.apache.kafka.common.errors.TimeoutException("Kafka did not answer within "
                    + ADMIN_TIMEOUT.toSeconds() + " s", e);
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("The bridge cannot start: its state topics are not usable.\n  - "
                    + String.join("\n  - ", problems));
        }
    }

    static boolean isCompacted(String cleanupPolicy) {
        if (cleanupPolicy == null) {
            return false;
        }
        for (String policy : cleanupPolicy.split(",")) {
            if (policy.strip().equals(TopicConfig.CLEANUP_POLICY_COMPACT)) {
                return true;
            }
        }
        return false;
    }

    private static String missing(Table table) {
        return "Kafka topic " + table.topic() + " does not exist; it holds the bridge's " + table.holds()
                + ". Create it with cleanup.policy=compact, or let the bridge create it"
                + " (dialer.topics.create=true, environment variable DIALER_TOPICS_CREATE).";
    }

    private static String notCompacted(Table table, String policy) {
        return "Kafka topic " + table.topic() + " has cleanup.policy=" + policy + ", but it must be compacted: it"
                + " holds the bridge's " + table.holds() + ", which Kafka would otherwise delete with age. Fix it with"
                + " kafka-configs.sh --alter --entity-type topics --entity-name " + table.topic()
                + " --add-config cleanup.policy=compact";
    }

    /**
     * Runs {@code step} until it succeeds; a failure that passes with time (Kafka not answering yet) is logged and
     * tried again with a growing delay until the deadline, anything else fails the start at once.
     */
    private void patiently(String what, long deadline, Duration patience, Runnable step) {
        long delay = 500;
        for (int attempt = 1; ; attempt++) {
            try {
                step.run();
                return;
            } catch (RuntimeException failure) {
                if (!isRetriable(failure)) {
                    throw failure;
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new IllegalStateException("The bridge cannot start: could not " + what + " within "
                            + patience.toSeconds() + " s (dialer.startup.state-timeout): " + failure.getMessage(),
                            failure);
                }
                long wait = Math.min(delay, left);
                LOG.warn("Could not {} yet (attempt {}): {}; trying again in {} ms, for at most {} s more", what,
                        attempt, failure.toString(), wait, TimeUnit.MILLISECONDS.toSeconds(left));
                pause.accept(wait);
                delay = Math.min(delay * 2, LONGEST_RETRY_DELAY.toMillis());
            }
        }
    }

    /** Whether the failure is Kafka not answering (yet), anywhere in its causes. */
    static boolean isRetriable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof RetriableException || cause instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for Kafka at start", e);
        }
    }

    /** An admin request Kafka refused; its cause says whether trying again can help. */
    static final class KafkaAdminException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        KafkaAdminException(String message, Throwable cause) {
            super(message + ": " + cause, cause);
        }
    }
}
