package io.dialerbridge.salesforce.stream;

import java.util.OptionalLong;

/**
 * Where each channel's subscription starts; the durable implementation keeps checkpoints in Kafka, written in the
 * channel's transactions. The stream consumer finds it in the Camel registry.
 */
public interface StreamPositions {

    /** The replay id to resume after, when the channel has a checkpoint. */
    OptionalLong resumeAfter(String channel);

    /** Salesforce refused to resume after this replay id (it left retention); the consumer fell back. */
    void fellBack(String channel, long refusedReplayId, long fallbackReplayId);
}
