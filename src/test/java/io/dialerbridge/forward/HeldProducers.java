package io.dialerbridge.forward;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
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

    private static final class Held extends ForwardingProducer {
        private final String transactionalId;
        private final List<Map.Entry<ProducerRecord<String, String>, Callback>> kept = new ArrayList<>();

        Held(String transactionalId, Producer<String, String> kafka) {
            super(kafka);
            this.transactionalId = transactionalId;
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
        public void commitTransaction() {
            releaseKept();
            kafka.commitTransaction();
        }

        @Override
        public void flush() {
            releaseKept();
            kafka.flush();
        }
    }
}
