package io.dialerbridge.forward;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The bridge's real Kafka producers, except that once {@link #hold} names a channel, that channel's producer keeps
 * every record it is given, in order, until {@link #release}: the test decides when they reach the broker, as a
 * slow producer would. Registered as the bridge's {@link ChannelTransactions.ProducerFactory} by the tests using it.
 */
final class HeldProducers implements ChannelTransactions.ProducerFactory {

    /** Makes these producers the bridge's: the configuration {@code @Import}ed by the tests that hold a channel's records share, one cached context. */
    @TestConfiguration(proxyBeanMethods = false)
    static class InTheBridge {
        @Bean
        ChannelTransactions.ProducerFactory heldProducers() {
            return new HeldProducers();
        }
    }


    private static volatile String heldChannel;
    private static volatile CountDownLatch released = new CountDownLatch(0);
    private static final List<ProducerRecord<String, String>> HELD = new ArrayList<>();

    /** The channel's producer keeps its records from now until {@link #release}. */
    static void hold(String channel) {
        released = new CountDownLatch(1);
        heldChannel = channel;
    }

    static void release() {
        heldChannel = null;
        released.countDown();
    }

    /** The records held so far. */
    static List<ProducerRecord<String, String>> held() {
        synchronized (HELD) {
            return List.copyOf(HELD);
        }
    }

    static void reset() {
        release();
        synchronized (HELD) {
            HELD.clear();
        }
    }

    @Override
    public Producer<String, String> open(Properties settings) {
        String transactionalId = String.valueOf(settings.get(ProducerConfig.TRANSACTIONAL_ID_CONFIG));
        return new Held(transactionalId, new KafkaProducer<>(settings));
    }

    private static final class Held implements Producer<String, String> {
        private final String transactionalId;
        private final Producer<String, String> kafka;
        private final List<Map.Entry<ProducerRecord<String, String>, Callback>> kept = new ArrayList<>();

        Held(String transactionalId, Producer<String, String> kafka) {
            this.transactionalId = transactionalId;
            this.kafka = kafka;
        }

        private boolean holding() {
            String channel = heldChannel;
            return channel != null && transactionalId.endsWith("-" + channel);
        }

        /** Waits for the release, then hands the kept records to Kafka in their order. */
        private void releaseKept() {
            List<Map.Entry<ProducerRecord<String, String>, Callback>> sending;
            synchronized (kept) {
                if (kept.isEmpty()) {
                    return;
                }
                sending = List.copyOf(kept);
                kept.clear();
            }
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new org.apache.kafka.common.errors.InterruptException(e);
            }
            sending.forEach(entry -> kafka.send(entry.getKey(), entry.getValue()));
        }

        @Override
        public Future<RecordMetadata> send(ProducerRecord<String, String> record, Callback callback) {
            synchronized (kept) {
                if (holding() || !kept.isEmpty()) {
                    kept.add(Map.entry(record, callback));
                    synchronized (HELD) {
                        HELD.add(record);
                    }
                    return new CompletableFuture<>();
                }
            }
            return kafka.send(record, callback);
        }

        @Override
        public Future<RecordMetadata> send(ProducerRecord<String, String> record) {
            return send(record, (metadata, error) -> { });
        }

        @Override
        public void initTransactions() {
            kafka.initTransactions();
        }

        @Override
        public void beginTransaction() {
            kafka.beginTransaction();
        }

        @Override
        @SuppressWarnings("deprecation")
        public void sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets, String group) {
            kafka.sendOffsetsToTransaction(offsets, group);
        }

        @Override
        public void sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets,
                ConsumerGroupMetadata group) {
            kafka.sendOffsetsToTransaction(offsets, group);
        }

        @Override
        public void commitTransaction() {
            releaseKept();
            kafka.commitTransaction();
        }

        @Override
        public void abortTransaction() {
            kafka.abortTransaction();
        }

        @Override
        public void flush() {
            releaseKept();
            kafka.flush();
        }

        @Override
        public List<PartitionInfo> partitionsFor(String topic) {
            return kafka.partitionsFor(topic);
        }

        @Override
        public Map<MetricName, ? extends Metric> metrics() {
            return kafka.metrics();
        }

        @Override
        public Uuid clientInstanceId(Duration timeout) {
            return kafka.clientInstanceId(timeout);
        }

        @Override
        public void close() {
            kafka.close();
        }

        @Override
        public void close(Duration timeout) {
            kafka.close(timeout);
        }
    }
}
