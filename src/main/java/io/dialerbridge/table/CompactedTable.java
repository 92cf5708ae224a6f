package io.dialerbridge.table;

import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A compacted topic read whole once before anything is written to it.
 *
 * <p>It is the durable memory behind the replay checkpoints, the campaign membership index and the suppressions. In
 * the bridge the start reads it before any route runs ({@link CompactedTables}); the first use reads it only where
 * nothing did (a bean used on its own).
 */
public final class CompactedTable implements AutoCloseable {

    private final Supplier<KafkaCompactedTopic> opener;
    private final Consumer<Map<String, String>> load;
    private final BiConsumer<String, String> follower;
    private volatile KafkaCompactedTopic topic;

    /**
     * @param opener opens the topic; called once
     * @param load receives the latest value of every key, once, before the first write
     */
    public CompactedTable(Supplier<KafkaCompactedTopic> opener, Consumer<Map<String, String>> load) {
        this(opener, load, null);
    }

    /**
     * A table that, once loaded, follows its topic while it runs (see {@link KafkaCompactedTopic#follow}).
     *
     * @param follower receives every row written after the load, by this process or any other; null for none
     */
    public CompactedTable(Supplier<KafkaCompactedTopic> opener, Consumer<Map<String, String>> load,
            BiConsumer<String, String> follower) {
        this.opener = opener;
        this.load = load;
        this.follower = follower;
    }

    /** The open topic, read on the first call. */
    public KafkaCompactedTopic topic() {
        KafkaCompactedTopic current = topic;
        if (current == null) {
            synchronized (this) {
                if (topic == null) {
                    KafkaCompactedTopic opened = opener.get();
                    try {
                        if (follower == null) {
                            load.accept(opened.readAll());
                        } else {
                            KafkaCompactedTopic.Snapshot snapshot = opened.snapshot();
                            load.accept(snapshot.rows());
                            opened.follow(snapshot.positions(), follower);
                        }
                    } catch (RuntimeException unreadable) {
                        opened.close();
                        throw unreadable;
                    }
                    topic = opened;
                }
                current = topic;
            }
        }
        return current;
    }

    /**
     * Brings the table up to everything committed to its topic so far, for a bridge taking over leadership from
     * another that wrote meanwhile: a followed table waits for its follower, another is read whole again.
     */
    public void catchUp() {
        boolean wasLoaded = topic != null;
        KafkaCompactedTopic opened = topic();
        if (!wasLoaded) {
            return;
        }
        if (follower == null) {
            load.accept(opened.readAll());
        } else {
            opened.awaitFollowersCaughtUp();
        }
    }

    /** Waits for what was written to reach Kafka; nothing happens if the table was never used. */
    @Override
    public void close() {
        KafkaCompactedTopic current = topic;
        if (current != null) {
            current.close();
        }
    }
}
