package io.dialerbridge;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a topic from its beginning in a test, until what the test waits for has arrived or a deadline passes. */
public final class KafkaTopicReader implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;
    private final List<ConsumerRecord<String, String>> records = new ArrayList<>();

    public KafkaTopicReader(String bootstrapServers, String... topics) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                // What a dialer sees: the bridge writes in transactions, and only committed ones count.
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()));
        consumer.subscribe(List.of(topics));
    }

    /** Everything read so far. */
    public List<ConsumerRecord<String, String>> records() {
        return List.copyOf(records);
    }

    /** Polls until the records read so far satisfy the condition; fails after the timeout. */
    public List<ConsumerRecord<String, String>> awaitUntil(Predicate<List<ConsumerRecord<String, String>>> condition,
            Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.test(records)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout + "; read " + records.size() + " records: "
                        + describe());
            }
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return records();
    }

    public static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private String describe() {
        StringBuilder text = new StringBuilder();
        for (ConsumerRecord<String, String> record : records) {
            text.append("\n  ").append(record.topic()).append(' ').append(record.key()).append(' ')
                    .append(header(record, "ce_type")).append(" ").append(header(record, "ce_id")).append(" ")
                    .append(record.value());
        }
        return text.toString();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
