package io.dialerbridge.salesforce.stream;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where each channel's subscription starts; the durable implementation keeps checkpoints in Kafka, written in the
 * channel's transactions. The stream consumers find it in the Camel registry.
 */
public interface StreamPositions {

    /** The replay id to resume after, when the channel has a checkpoint. */
    OptionalLong resumeAfter(String channel);

    /**
     * The opaque Pub/Sub replay id to resume after, when the channel has a checkpoint: by default its replay id as the
     * 8 big-endian bytes Salesforce's own Pub/Sub clients use.
     */
    default Optional<byte[]> resumePositionAfter(String channel) {
        OptionalLong replayId = resumeAfter(channel);
        return replayId.isPresent() ? Optional.of(bytesOf(replayId.getAsLong())) : Optional.empty();
    }

    /** Salesforce refused to resume after this replay id (it left retention); the consumer fell back. */
    void fellBack(String channel, long refusedReplayId, long fallbackReplayId);

    /** A numeric replay id as Pub/Sub bytes (8, big-endian). */
    static byte[] bytesOf(long replayId) {
        return ByteBuffer.allocate(Long.BYTES).putLong(replayId).array();
    }

    /** Pub/Sub replay id bytes as the number CometD shows for the same position; null when longer than 8 bytes. */
    static Long numberOf(byte[] replayId) {
        if (replayId.length == 0 || replayId.length > Long.BYTES) {
            return null;
        }
        long value = 0;
        for (byte b : replayId) {
            value = (value << 8) | (b & 0xff);
        }
        return value;
    }
}
