package io.dialerbridge.disposition;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.kafka.common.TopicPartition;

/**
 * One Kafka record of a batch as camel-kafka's batching consumer hands it over.
 *
 * <p>It holds what the flow needs to process, dead-letter and acknowledge it: key and value as the bytes that were on
 * the topic, the record's own headers, where it came from, and the handle that commits its offset.
 *
 * @param headers the record's Kafka headers (byte[] values), without camel's {@code kafka.*} and {@code Camel*} ones
 */
record ConsumedRecord(String topic, int partition, long offset, Long timestamp, byte[] key, byte[] value,
        Map<String, Object> headers, KafkaManualCommit commit) {

    /** The record inside one exchange of a camel-kafka batch. */
    static ConsumedRecord of(Exchange record) {
        Message message = record.getMessage();
        Map<String, Object> own = new LinkedHashMap<>();
        message.getHeaders().forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!lower.startsWith("kafka.") && !lower.startsWith("camel") && !lower.startsWith("org.apache.camel.")) {
                own.put(name, value);
            }
        });
        return new ConsumedRecord(
                message.getHeader(KafkaConstants.TOPIC, String.class),
                message.getHeader(KafkaConstants.PARTITION, -1, Integer.class),
                message.getHeader(KafkaConstants.OFFSET, -1L, Long.class),
                message.getHeader(KafkaConstants.TIMESTAMP, Long.class),
                bytes(message.getHeader(KafkaConstants.KEY)),
                bytes(message.getBody()),
                Collections.unmodifiableMap(own),
                message.getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class));
    }

    /** Where the record was read from, as in logs and dead-letter headers: {@code topic-partition@offset}. */
    String position() {
        return topic + "-" + partition + "@" + offset;
    }

    TopicPartition topicPartition() {
        return new TopicPartition(topic, partition);
    }

    /**
     * Commits, for every partition in the records, the offset after the last one: what camel's own
     * {@code BatchManualCommit} does for the last record's partition only, which would leave the other partitions of
     * a batch to be read again after a restart.
     */
    static void commitAll(Collection<ConsumedRecord> records) {
        Map<TopicPartition, ConsumedRecord> last = records.stream().collect(Collectors.toMap(
                ConsumedRecord::topicPartition, record -> record,
                (a, b) -> a.offset() >= b.offset() ? a : b, LinkedHashMap::new));
        for (ConsumedRecord record : last.values()) {
            if (record.commit() == null) {
                throw new IllegalStateException("record " + record.position() + " has no manual commit handle:"
                        + " the consumer needs allowManualCommit=true");
            }
            record.commit().commit();
        }
    }

    private static byte[] bytes(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof byte[] bytes) {
            return bytes;
        }
        // A consumer configured with string deserialisers still works; the bytes are then the UTF-8 text.
        return value.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The value is free text with phone numbers and notes: only the position is printed. */
    @Override
    public String toString() {
        return "ConsumedRecord[" + position() + "]";
    }
}
