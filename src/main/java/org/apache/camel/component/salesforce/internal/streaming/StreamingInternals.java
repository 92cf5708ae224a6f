package org.apache.camel.component.salesforce.internal.streaming;

import org.cometd.bayeux.Channel;
import org.cometd.bayeux.client.ClientSessionChannel;

/**
 * The dialer bridge's handle on two package-private parts of camel-salesforce 4.17's streaming client, used by
 * {@code io.dialerbridge.salesforce.stream.SalesforceStreamConsumer}.
 *
 * <p>camel keeps the replay position of every channel in one JVM-wide map that it only fills in when a channel is
 * absent, and it updates that map when an event is received rather than when the route has finished with it. The
 * bridge keeps its own durable checkpoint and must be able to say "resume after this id" even when camel has an
 * older or newer opinion (a route restarted in the same JVM). And camel falls back silently when Salesforce refuses
 * an expired replay id; the bridge needs to see that refusal to count it and resynchronise. This class lives in
 * camel's package so that both accesses are checked by the compiler against the camel version in the pom.
 */
public final class StreamingInternals {

    private StreamingInternals() {
    }

    /** Makes the next subscribe to the channel ask Salesforce for the events after this replay id. */
    public static void resumeFrom(String channel, long replayId) {
        SubscriptionHelper.REPLAY_EXTENSION.setReplayId(channel, replayId);
    }

    /**
     * Adds a listener for {@code /meta/subscribe} replies on the component's CometD client; the helper must be
     * started, so that its client exists.
     */
    public static void listenToSubscribeReplies(SubscriptionHelper helper, ClientSessionChannel.MessageListener listener) {
        helper.client.getChannel(Channel.META_SUBSCRIBE).addListener(listener);
    }

    public static void stopListening(SubscriptionHelper helper, ClientSessionChannel.MessageListener listener) {
        if (helper.client != null) {
            helper.client.getChannel(Channel.META_SUBSCRIBE).removeListener(listener);
        }
    }
}
