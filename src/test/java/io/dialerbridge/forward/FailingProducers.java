package io.dialerbridge.forward;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
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
 * The bridge's real Kafka producers, except that a send of a record with a chosen key fails as Kafka would have
 * failed it (its callback gets the error); the broker itself stays up. Registered as the bridge's
 * {@link ChannelTransactions.ProducerFactory} by the tests that use it.
 */
final class FailingProducers implements ChannelTransactions.ProducerFactory {

    /** Makes these producers the bridge's: the configuration {@code @Import}ed by the tests that make chosen sends fail share, one cached context. */
    @TestConfiguration(proxyBeanMethods = false)
    static class InTheBridge {
        @Bean
        ChannelTransactions.ProducerFactory failingProducers() {
            return new FailingProducers();
        }
    }


    /** Per record key: the failures still to throw, how many were thrown, what to throw, and for which records. */
    record Failures(AtomicInteger left, AtomicInteger thrown, Supplier<RuntimeException> failure,
            Predicate<ProducerRecord<String, String>> which) {
    }

    static final Map<String, Failures> FAILING = new ConcurrentHashMap<>();

    /** The next {@code times} sends of a record keyed {@code key} fail with {@code failure}. */
    static String fail(String key, int times, Supplier<RuntimeException> failure) {
        return fail(key, times, failure, record -> true);
    }

    /** The next {@code times} sends of such records keyed {@code key} fail with {@code failure}. */
    static String fail(String key, int times, Supplier<RuntimeException> failure,
            Predicate<ProducerRecord<String, String>> which) {
        FAILING.put(key, new Failures(new AtomicInteger(times), new AtomicInteger(), failure, which));
        return key;
    }

    @Override
    public Producer<String, String> open(Properties settings) {
        return new Failing(new KafkaProducer<>(settings));
    }

    private record Failing(Producer<String, String> kafka) implements Producer<String, String> {

        @Override
        public Future<RecordMetadata> send(ProducerRecord<String, String> record, Callback callback) {
            Failures failures = record.key() == null ? null : FAILING.get(record.key());
            if (failures != null && failures.which().test(record) && failures.left().getAndDecrement() > 0) {
                failures.thrown().incrementAndGet();
                RuntimeException failure = failures.failure().get();
                callback.onCompletion(null, failure);
                return CompletableFuture.failedFuture(failure);
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
            kafka.commitTransaction();
        }

        @Override
        public void abortTransaction() {
            kafka.abortTransaction();
        }

        @Override
        public void flush() {
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
