package io.dialerbridge.disposition;

import io.dialerbridge.table.KafkaCompactedTopic;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable side of {@link PublishedCallRegistry}, a compacted topic keyed by call id. It is read whole at start
 * (before the publishing route consumes anything) and then followed, so the memory survives restarts and instances of
 * the bridge learn each other's publishes.
 *
 * <p>The route appends to the topic itself (the messages come from {@link #entry}); this class only reads. A
 * tombstone (a null value) for a call id makes the bridge forget it, which is how an operator forces a republish.
 */
public class PublishedCallLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PublishedCallLog.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final PublishedCallRegistry registry;
    private final String topic;
    private volatile KafkaConsumer<String, String> follower;
    private Thread followerThread;

    public PublishedCallLog(PublishedCallRegistry registry, String topic) {
        this.registry = registry;
        this.topic = topic;
    }

    public String topic() {
        return topic;
    }

    /** The record that says a call was published: key the call id, value a small JSON document. */
    public static Message entry(CamelContext camel, Disposition disposition, Instant publishedAt) {
        Message entry = new DefaultMessage(camel);
        entry.setHeader(KafkaConstants.KEY, disposition.callId());
        entry.setHeader(DispositionJson.CONTENT_TYPE_HEADER, DispositionJson.MEDIA_TYPE);
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("callId", disposition.callId());
        value.put("recordId", disposition.recordId());
        value.put("publishedAt", publishedAt.toString());
        entry.setBody(DispositionJson.write(value));
        return entry;
    }

    /** The topic's definition: compacted, and entries older than the retention deleted. */
    public NewTopic definition(int partitions, short replication, long retentionMs) {
        return new NewTopic(topic, partitions, replication).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG,
                TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(retentionMs)));
    }

    /**
     * Reads the topic from the beginning to its current end into the registry, then keeps following it on a daemon
     * thread. Returns how many entries were read.
     */
    public synchronized int start(Properties clientProperties, Duration timeout) {
        if (follower != null) {
            throw new IllegalStateException("The published calls of " + topic + " are read already");
        }
        Properties properties = new Properties();
        properties.putAll(clientProperties);
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "dialer-bridge-published-calls");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties);
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            List<TopicPartition> assigned = KafkaCompactedTopic.partitions(consumer, topic, deadline);
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            Map<TopicPartition, Long> end = consumer.endOffsets(assigned, timeout);
            int read = 0;
            while (!caughtUp(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    // A timeout, which passes: the start (CompactedTables) tries again while its patience lasts.
                    throw new TimeoutException("Could not read Kafka topic " + topic + " within " + timeout);
                }
                for (ConsumerRecord<String, String> record : consumer.poll(POLL)) {
                    apply(record);
                    read++;
                }
            }
            LOG.info("Read {} published call(s) from {}; {} remembered", read, topic, registry.size());
            follower = consumer;
            followerThread = new Thread(this::follow, "published-calls-follower");
            followerThread.setDaemon(true);
            followerThread.start();
            return read;
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
    }

    private static boolean caughtUp(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
            if (consumer.position(partition.getKey()) < partition.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void follow() {
        KafkaConsumer<String, String> consumer = follower;
        try {
            while (follower != null) {
                try {
                    for (ConsumerRecord<String, String> record : consumer.poll(POLL)) {
                        apply(record);
                    }
                } catch (WakeupException stopping) {
                    break;
                } catch (RuntimeException e) {
                    // The local memory stays right for this instance's own publishes; only others' are late.
                    LOG.warn("Following {} failed, trying again: {}", topic, e.toString());
                }
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void apply(ConsumerRecord<String, String> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            registry.remove(record.key());
        } else {
            registry.add(record.key());
        }
    }

    @Override
    public synchronized void close() throws InterruptedException {
        KafkaConsumer<String, String> consumer = follower;
        if (consumer == null) {
            return;
        }
        follower = null;
        consumer.wakeup();
        followerThread.join(TimeUnit.SECONDS.toMillis(10));
    }
}
