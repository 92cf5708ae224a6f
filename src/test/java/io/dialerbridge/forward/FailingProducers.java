package io.dialerbridge.forward;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
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

    private static final class Failing extends ForwardingProducer {

        Failing(Producer<String, String> kafka) {
            super(kafka);
        }

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
    }
}
