package io.dialerbridge.table;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reader that keeps following a compacted topic after it was read whole.
 *
 * <p>It runs on a daemon thread of its own, so rows another process writes reach this one while it runs. A failing
 * read or listener is logged and retried, never the end of following.
 */
final class TopicFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final String topic;
    private final Properties settings;
    private final Map<TopicPartition, Long> positions;
    private final BiConsumer<String, String> listener;
    private final Thread thread;
    private volatile boolean closed;
    private volatile KafkaConsumer<String, String> consumer;

    TopicFollower(String topic, Properties settings, Map<TopicPartition, Long> positions,
            BiConsumer<String, String> listener) {
        this.topic = topic;
        this.settings = settings;
        this.positions = new java.util.concurrent.ConcurrentHashMap<>(positions);
        this.listener = listener;
        this.thread = new Thread(this::run, "follow-" + topic);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        while (!closed) {
            try (KafkaConsumer<String, String> reader = new KafkaConsumer<>(settings)) {
                consumer = reader;
                reader.assign(positions.keySet());
                positions.forEach(reader::seek);
                while (!closed) {
                    for (ConsumerRecord<String, String> record : reader.poll(POLL)) {
                        deliver(record);
                        positions.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
                    }
                    // Past transaction markers too, which no record shows: what caughtUpTo compares with.
                    for (TopicPartition partition : reader.assignment()) {
                        positions.put(partition, reader.position(partition));
                    }
                    synchronized (this) {
                        notifyAll();
                    }
                }
            } catch (WakeupException | InterruptException stopping) {
                return;
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.warn("Following Kafka topic {} failed; reading on in {} s: {}", topic, RETRY.toSeconds(),
                        e.toString());
                try {
                    Thread.sleep(RETRY.toMillis());
                } catch (InterruptedException interrupted) {
                    return;
                }
            } finally {
                consumer = null;
            }
        }
    }

    private void deliver(ConsumerRecord<String, String> record) {
        try {
            listener.accept(record.key(), record.value());
        } catch (RuntimeException e) {
            // Retrying would stop every later row from arriving; the listener says itself what it could not take.
            LOG.error("Row {} of Kafka topic {} (offset {}) could not be applied: {}", record.key(), topic,
                    record.offset(), e.toString());
        }
    }

    /**
     * Waits until every row committed up to {@code ends} (each partition's last stable offset, as a {@code
     * read_committed} reader sees its end) has been handed to the listener.
     *
     * @throws TimeoutException when the follower is not there by the deadline (Kafka slow: the caller tries again)
     */
    void awaitCaughtUp(Map<TopicPartition, Long> ends, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (ends.entrySet().stream().anyMatch(end -> positions.getOrDefault(end.getKey(), 0L) < end.getValue())) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("Following Kafka topic " + topic + " did not reach " + ends + " within "
                            + timeout.toSeconds() + " s");
                }
                wait(Math.max(1, java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    /** Stops following and waits up to 10 s for the thread to end. */
    @Override
    public void close() {
        closed = true;
        KafkaConsumer<String, String> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
