package io.dialerbridge.salesforce.stream;

import java.util.OptionalLong;

/**
 * Where each channel's subscription starts and how far it got; the durable implementation keeps checkpoints in Kafka.
 * The stream consumer finds it in the Camel registry.
 */
public interface StreamPositions {

    /** The replay id to resume after, when the channel has a checkpoint. */
    OptionalLong resumeAfter(String channel);

    /**
     * An event arrived, in channel order; it is in flight until the route acknowledges it. A negative replay id is
     * the consumer's own resync request: it holds the checkpoint back like an event but never becomes it.
     */
    void received(String channel, long replayId);

    /** Salesforce refused to resume after this replay id (it left retention); the consumer fell back. */
    void fellBack(String channel, long refusedReplayId, long fallbackReplayId);
}
