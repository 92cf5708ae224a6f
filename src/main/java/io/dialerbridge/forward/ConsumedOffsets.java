package io.dialerbridge.forward;

import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The offsets a consumer group moves to once what it read is written: given to a channel's transaction (exchange
 * property {@value #PROPERTY}), they commit with the records in it, so a record read again after a crash or a change
 * of leader writes nothing twice for a {@code read_committed} reader (Kafka's consume-transform-produce).
 *
 * @param groupId the consumer group whose offsets these are
 * @param offsets per partition, the offset of the next record to read
 */
public record ConsumedOffsets(String groupId, Map<TopicPartition, OffsetAndMetadata> offsets) {

    public static final String PROPERTY = "dialerConsumedOffsets";

    public ConsumedOffsets {
        offsets = Map.copyOf(offsets);
    }
}
