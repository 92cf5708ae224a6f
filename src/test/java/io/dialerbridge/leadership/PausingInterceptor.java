package io.dialerbridge.leadership;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Holds a leadership consumer inside {@code poll} while its member is paused, as a long GC or SIGSTOP would: it stops
 * polling, so Kafka's heartbeat thread leaves the group after {@code max.poll.interval.ms}, while the member's routes
 * go on running and believe it leads. Named per member by the {@code dialer.test.member} client setting.
 */
public final class PausingInterceptor implements ConsumerInterceptor<byte[], byte[]> {

    static final String MEMBER = "dialer.test.member";
    private static final Map<String, CountDownLatch> PAUSED = new ConcurrentHashMap<>();

    private String member;

    static void pause(String member) {
        PAUSED.put(member, new CountDownLatch(1));
    }

    static void resume(String member) {
        CountDownLatch paused = PAUSED.remove(member);
        if (paused != null) {
            paused.countDown();
        }
    }

    @Override
    public void configure(Map<String, ?> configs) {
        member = String.valueOf(configs.get(MEMBER));
    }

    @Override
    public ConsumerRecords<byte[], byte[]> onConsume(ConsumerRecords<byte[], byte[]> records) {
        CountDownLatch paused = PAUSED.get(member);
        if (paused != null) {
            try {
                paused.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return records;
    }

    @Override
    public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    }

    @Override
    public void close() {
    }
}
