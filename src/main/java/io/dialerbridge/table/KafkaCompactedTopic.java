package io.dialerbridge.table;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A compacted Kafka topic used as a durable key-value table.
 *
 * <p>It is read whole at start, then appended to. The client
 * settings (brokers, security) come from the camel kafka component, so the table lives wherever the commands do. The
 * producer is opened on the first write, so a table that is only read (the suppressions at start) opens none.
 */
public class KafkaCompactedTopic implements AutoCloseable {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration METADATA_POLL = Duration.ofMillis(500);
    private static final Duration METADATA_RETRY = Duration.ofMillis(100);

    private final String topic;
    private final Duration readTimeout;
    private final Properties consumerSettings;
    private final Properties producerSettings;
    private KafkaProducer<String, String> producer;
    private final List<TopicFollower> followers = new ArrayList<>();

    public KafkaCompactedTopic(String topic, Properties consumerSettings, Properties producerSettings) {
        this(topic, consumerSettings, producerSettings, READ_TIMEOUT);
    }

    public KafkaCompactedTopic(String topic, Properties consumerSettings, Properties producerSettings, Duration readTimeout) {
        this.topic = topic;
        this.readTimeout = readTimeout;
        this.consumerSettings = new Properties();
        this.consumerSettings.putAll(consumerSettings);
        this.consumerSettings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumerSettings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // Rows are written in transactions (with the commands that caused them): an aborted one never happened.
        this.consumerSettings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumerSettings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        this.consumerSettings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        this.producerSettings = new Properties();
        this.producerSettings.putAll(producerSettings);
        this.producerSettings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        this.producerSettings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        this.producerSettings.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producerSettings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    }

    /**
     * The latest value of every key (a null value deletes the key), reading the topic from its start to its end. A
     * topic that does not exist is an error, not an empty table: the bridge must not start without its suppressions
     * or checkpoints because a topic is misnamed. Kafka not answering in time is a {@link TimeoutException}.
     */
    public Map<String, String> readAll() {
        return snapshot().rows();
    }

    /**
     * What {@link #readAll} reads, with the position it reached in each partition, from where {@link #follow} can go
     * on without reading a row twice.
     */
    public record Snapshot(Map<String, String> rows, Map<TopicPartition, Long> positions) {
    }

    /** Reads the whole topic as {@link #readAll} does, and says where the reading ended. */
    public Snapshot snapshot() {
        Map<String, String> table = new LinkedHashMap<>();
        Map<TopicPartition, Long> positions = new LinkedHashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerSettings)) {
            long deadline = System.nanoTime() + readTimeout.toNanos();
            List<TopicPartition> partitions = partitions(consumer, topic, deadline);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, readTimeout);
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
                if (System.nanoTime() > deadline) {
                    // A timeout, which passes: the start (CompactedTables) tries again while its patience lasts.
                    throw new TimeoutException("Could not read Kafka topic " + topic + " to its end within "
                            + readTimeout.toSeconds() + " s");
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.value() == null) {
                        table.remove(record.key());
                    } else {
                        table.put(record.key(), record.value());
                    }
                }
            }
            partitions.forEach(partition -> positions.put(partition, consumer.position(partition)));
        }
        return new Snapshot(table, positions);
    }

    /**
     * Goes on reading the topic from {@code positions} on a background thread until this topic is closed, handing
     * every record written there since (by this process or any other) to {@code listener}, value null for a
     * tombstone, in each partition's order. Transactional writes count once committed.
     */
    public void follow(Map<TopicPartition, Long> positions, BiConsumer<String, String> listener) {
        Properties settings = new Properties();
        settings.putAll(consumerSettings);
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        TopicFollower follower = new TopicFollower(topic, settings, positions, listener);
        synchronized (this) {
            followers.add(follower);
        }
        follower.start();
    }

    /**
     * Waits until every follower has handed on every row committed to the topic so far: the end {@code
     * read_committed} readers see now (each partition's last stable offset), read with a consumer of its own.
     *
     * @throws TimeoutException when Kafka does not answer or the followers do not get there in the read timeout
     */
    public void awaitFollowersCaughtUp() {
        List<TopicFollower> current;
        synchronized (this) {
            current = List.copyOf(followers);
        }
        if (current.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> ends;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerSettings)) {
            List<TopicPartition> partitions = partitions(consumer, topic, System.nanoTime() + readTimeout.toNanos());
            ends = consumer.endOffsets(partitions, readTimeout);
        }
        try {
            for (TopicFollower follower : current) {
                follower.awaitCaughtUp(ends, readTimeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while following Kafka topic " + topic, e);
        }
    }

    /**
     * The topic's partitions, waiting until {@code deadline} ({@link System#nanoTime()}) for a topic created a moment
     * ago to show in the metadata; a topic still unknown then is an error, retriable as Kafka's own is (the start has
     * already checked that the topic exists, so it is most likely a broker slow to answer).
     */
    public static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic, long deadline) {
        while (true) {
            try {
                List<PartitionInfo> partitions = consumer.partitionsFor(topic, METADATA_POLL);
                if (partitions != null && !partitions.isEmpty()) {
                    return partitions.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
                }
            } catch (TimeoutException notYetKnown) {
                // the metadata does not have the topic yet; look again until the deadline
            }
            if (System.nanoTime() > deadline) {
                throw new UnknownTopicOrPartitionException("Kafka topic " + topic + " does not exist; create it or"
                        + " set dialer.topics.create=true");
            }
            try {
                Thread.sleep(METADATA_RETRY.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while looking up Kafka topic " + topic, e);
            }
        }
    }

    /** Appends a value for the key; the returned future completes once every in-sync replica has it. */
    public Future<RecordMetadata> write(String key, String value) {
        return producer().send(new ProducerRecord<>(topic, key, value));
    }

    private synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(producerSettings);
        }
        return producer;
    }

    /** Stops following, and waits up to 10 s for what was written to reach Kafka. */
    @Override
    public synchronized void close() {
        followers.forEach(TopicFollower::close);
        followers.clear();
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
        }
    }
}
