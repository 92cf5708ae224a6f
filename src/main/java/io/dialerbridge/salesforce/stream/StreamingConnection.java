package io.dialerbridge.salesforce.stream;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import org.apache.camel.component.salesforce.internal.streaming.SubscriptionHelper;
import org.apache.camel.support.service.ServiceHelper;

/**
 * When camel's streaming client (one per salesforce component) connected, so that a stream consumer subscribes only
 * once camel has handled that handshake.
 *
 * <p>camel 4.17 handles a handshake reply on its HTTP client's worker pool, after the client already counts as
 * connected: it then subscribes again every channel that has a consumer by that time. A consumer that subscribed in
 * between is subscribed twice at once, and such a channel never recovers from a replay id Salesforce refuses: camel's
 * fallback subscription is not sent while the second subscription's listener remains. A client connected a moment ago
 * is therefore not yet {@link #settled}; a stream route whose start is retried (by the supervising route controller,
 * or by leadership for a leader-only route) fails its start when it finds it so, and subscribes at the next attempt.
 */
public final class StreamingConnection {

    /** Far longer than the worker pool takes to run camel's handshake handling, far shorter than any back-off. */
    private static final Duration SETTLING = Duration.ofMillis(500);
    private static final Map<SubscriptionHelper, Long> CONNECTED_AT = Collections.synchronizedMap(new WeakHashMap<>());

    private StreamingConnection() {
    }

    /** Starts the client (handshake and first connect) unless it is started, and remembers when it connected. */
    public static void connect(SubscriptionHelper helper) {
        if (helper.isStarted()) {
            return;
        }
        ServiceHelper.startService(helper);
        CONNECTED_AT.put(helper, System.nanoTime());
    }

    /** Whether the client is connected and camel has had time to handle its handshake. */
    static boolean settled(SubscriptionHelper helper) {
        Long connectedAt = CONNECTED_AT.get(helper);
        return helper.isStarted() && (connectedAt == null || System.nanoTime() - connectedAt >= SETTLING.toNanos());
    }
}
