package io.dialerbridge.salesforce.stream;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.component.salesforce.SalesforceConstants;
import org.apache.camel.component.salesforce.SalesforceEndpoint;
import org.apache.camel.component.salesforce.StreamingApiConsumer;
import org.apache.camel.component.salesforce.internal.streaming.StreamingInternals;
import org.apache.camel.component.salesforce.internal.streaming.SubscriptionHelper;
import org.cometd.bayeux.Message;
import org.cometd.bayeux.client.ClientSessionChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * camel-salesforce's streaming consumer with three changes the bridge needs. It resumes from the durable checkpoint, it
 * notices when Salesforce refuses that checkpoint as expired, and it hands on every event unparsed, so generic payloads
 * survive (camel 4.17 drops them) and malformed events reach the route's dead-letter handling instead of failing inside
 * the client. Login, re-login, handshake, re-subscription and the replay extension stay camel's.
 */
public class SalesforceStreamConsumer extends StreamingApiConsumer {

    /**
     * Route property: a failed start of the route is tried again by something other than the supervising route
     * controller (leadership starts the leader-only routes).
     */
    public static final String START_RETRIED = "dialer.start-retried";


    private static final Logger LOG = LoggerFactory.getLogger(SalesforceStreamConsumer.class);
    /**
     * A ChangeEventHeader field only the consumer's own resync request carries: the SOQL condition of the records to
     * read again (a PushTopic's WHERE clause).
     */
    public static final String RESYNC_CONDITION = "dialerResyncCondition";
    /**
     * Events received and not yet routed, per channel. Enough to keep the worker busy while the next long poll comes
     * back; a deeper queue only keeps more raw events on the heap, and in the benchmark a 10,000-event backlog cost
     * more in garbage collection (copied from one young collection to the next) than it saved.
     */
    private static final int QUEUE_CAPACITY = 1_000;
    /** Exchange property: how many events of the channel were waiting behind this one when the route got it. */
    public static final String BACKLOG = "dialerStreamBacklog";
    /** Header: the event's opaque Pub/Sub replay id (base64), which the channel's checkpoint stores; CometD has none. */
    public static final String REPLAY_POSITION = "dialerReplayPosition";
    /** Exchange property: the event as it arrived, kept for its dead letter while the route replaces the body. */
    public static final String ORIGINAL_EVENT = "dialerOriginalEvent";
    private static final Pattern CHANGE_EVENT_CHANNEL = Pattern.compile("^/data/(\\w+?)(__)?ChangeEvent$");
    private static final Pattern INVALID_REPLAY_ID = Pattern.compile("400::The replayId \\{(-?\\d+)} you provided was invalid.*");
    /** A PushTopic query names its one entity after FROM, and maybe a WHERE clause (no ORDER BY or LIMIT allowed). */
    private static final Pattern TOPIC_QUERY = Pattern.compile(
            "(?is)^\\s*SELECT\\s.+?\\sFROM\\s+(\\w+)(?:\\s+WHERE\\s+(.+?))?\\s*$");

    private final SalesforceStreamEndpoint streamEndpoint;
    private final SalesforceEndpoint delegate;
    private final SubscriptionHelper helper;
    private final StreamPositions positions;
    private final String channel;
    private final StreamKind kind;
    private final ClientSessionChannel.MessageListener subscribeReplies = this::subscribeReply;
    /**
     * One thread per channel runs the route, in arrival order, off the HTTP client's threads: a route step that calls
     * Salesforce (a gap refetch) would otherwise wait for a response the blocked thread itself must read. When the
     * queue is full the streaming client waits, which slows the long poll instead of dropping events.
     */
    private ThreadPoolExecutor worker;
    private Counter events;
    /** The newest replay id handed to the route; the CometD client delivers a channel's events on one thread. */
    private volatile long highestReplayId = Long.MIN_VALUE;

    SalesforceStreamConsumer(SalesforceStreamEndpoint streamEndpoint, SalesforceEndpoint delegate,
            Processor processor, SubscriptionHelper helper, StreamPositions positions) {
        super(delegate, processor, helper);
        this.streamEndpoint = streamEndpoint;
        this.delegate = delegate;
        this.helper = helper;
        this.positions = positions;
        this.channel = streamEndpoint.channel();
        this.kind = StreamKind.of(channel);
    }

    @Override
    protected void doStart() throws Exception {
        long replayId = positions == null ? streamEndpoint.initialReplayId()
                : positions.resumeAfter(channel).orElse(streamEndpoint.initialReplayId());
        delegate.setReplayId(replayId);
        delegate.getConfiguration().setFallBackReplayId(streamEndpoint.fallbackReplayId());
        StreamingInternals.resumeFrom(channel, replayId);
        LOG.info("Subscribing to {} after replay id {}", channel, replayId);
        events = Metrics.counter("dialer.stream.events", "channel", channel);
        SessionLogin.logIn(delegate.getComponent());
        // Start the client before subscribing, so that a refusal of the replay id cannot slip past the listener.
        StreamingConnection.connect(helper);
        if (!StreamingConnection.settled(helper) && startIsRetried()) {
            throw new IllegalStateException("Salesforce's streaming API connected just now; " + channel
                    + " subscribes at the next attempt to start its route, once camel has handled the handshake");
        }
        StreamingInternals.listenToSubscribeReplies(helper, subscribeReplies);
        worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE_CAPACITY),
                runnable -> {
                    Thread thread = new Thread(runnable, "salesforce-stream " + channel);
                    thread.setDaemon(true);
                    return thread;
                },
                (task, executor) -> {
                    try {
                        executor.getQueue().put(task);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new RejectedExecutionException("interrupted while queueing an event of " + channel, e);
                    }
                });
        super.doStart();
    }

    /** Whether the route is started by the supervising route controller, which tries a failed start again. */
    /** Whether a failed start of this consumer's route is tried again: the route controller's or leadership's. */
    private boolean startIsRetried() {
        Route route = getRouteId() == null ? null : getEndpoint().getCamelContext().getRoute(getRouteId());
        return route != null && (Boolean.TRUE.equals(route.getProperties().get(Route.SUPERVISED))
                || Boolean.TRUE.equals(route.getProperties().get(START_RETRIED)));
    }

    @Override
    protected void doStop() throws Exception {
        StreamingInternals.stopListening(helper, subscribeReplies);
        super.doStop();
        if (worker != null) {
            // Events still queued are not acknowledged, so the checkpoint makes them come again after a restart.
            worker.shutdown();
            if (!worker.awaitTermination(10, TimeUnit.SECONDS)) {
                worker.shutdownNow();
            }
        }
    }

    private void subscribeReply(ClientSessionChannel meta, Message reply) {
        if (reply.isSuccessful() || !channel.equals(reply.get(Message.SUBSCRIPTION_FIELD))) {
            return;
        }
        Object error = reply.get(Message.ERROR_FIELD);
        var refused = error == null ? null : INVALID_REPLAY_ID.matcher(error.toString());
        if (refused != null && refused.matches()) {
            long refusedReplayId = Long.parseLong(refused.group(1));
            LOG.warn("Salesforce no longer retains the events after replay id {} on {}; resuming from {}",
                    refusedReplayId, channel, streamEndpoint.fallbackReplayId());
            if (positions != null) {
                positions.fellBack(channel, refusedReplayId, streamEndpoint.fallbackReplayId());
            }
            if (kind == StreamKind.CHANGE_DATA_CAPTURE || kind == StreamKind.PUSH_TOPIC) {
                requestResync(refusedReplayId);
            } else {
                reportLostEvents(channel, refusedReplayId);
            }
        }
    }

    /**
     * A platform-event or generic channel has nothing to read again: the events Salesforce no longer retains are
     * gone, and with them any request among them (a {@code SUPPRESS_RECORD} published while the bridge was away for
     * longer than the retention). Said at ERROR, so that whoever published them can publish them again.
     */
    static void reportLostEvents(String channel, long refusedReplayId) {
        LOG.error("Events on {} after replay id {} are lost: Salesforce no longer retains them and a platform event or"
                + " generic message cannot be read again; publish again the requests made since (docs/dnc.md,"
                + " \"Requests outlive the bridge only within retention\")", channel, refusedReplayId);
    }

    /**
     * Changes made while the checkpoint was outside retention are lost for good, so the route is asked to read the
     * entity again: the same overflow event Salesforce sends when it cannot describe a transaction's changes, on a
     * PushTopic channel too (its query names the entity, and its WHERE clause which records to read). It is queued
     * ahead of the retained backlog that the fallback replays; the mapper skips the backlog's events that the resync's
     * snapshot already holds. The channel's events are published in order, so the checkpoint cannot pass the backlog
     * before the resync's commands are committed, and its negative replay id never becomes the checkpoint: should the
     * bridge stop first, the restart finds the expired checkpoint again and resyncs again.
     */
    private void requestResync(long refusedReplayId) {
        String entity = entityOf(channel);
        String condition = null;
        if (kind == StreamKind.PUSH_TOPIC) {
            String[] target = topicTarget(delegate.getConfiguration().getSObjectQuery());
            entity = target == null ? null : target[0];
            condition = target == null ? null : target[1];
        }
        if (entity == null) {
            LOG.warn("Cannot resynchronise {}: it names no single entity", channel);
            return;
        }
        Exchange exchange = createExchange(true);
        ResyncRequests.fill(exchange, channel, entity, condition);
        LOG.warn("Resynchronising {} after lost changes on {}", entity, channel);
        dispatch(exchange);
    }

    /**
     * The entity a PushTopic query reads and its WHERE condition (null without one), or null when there is no query
     * to read: {@code SELECT Id, … FROM Lead WHERE Status != 'Closed'} → {@code [Lead, Status != 'Closed']}.
     */
    static String[] topicTarget(String query) {
        if (query == null) {
            return null;
        }
        var matcher = TOPIC_QUERY.matcher(query);
        return matcher.matches() ? new String[] {matcher.group(1), matcher.group(2)} : null;
    }

    /** {@code /data/ContactChangeEvent} → {@code Contact}; {@code /data/Foo__ChangeEvent} → {@code Foo__c}. */
    static String entityOf(String channel) {
        var matcher = CHANGE_EVENT_CHANNEL.matcher(channel);
        if (!matcher.matches()) {
            return null;
        }
        return matcher.group(2) == null ? matcher.group(1) : matcher.group(1) + "__c";
    }

    @Override
    @SuppressWarnings("unchecked")
    public void processMessage(ClientSessionChannel clientChannel, Message message) {
        Map<String, Object> data = message.getDataAsMap() == null ? Map.of()
                : new LinkedHashMap<>(message.getDataAsMap());
        Long replayId = replayIdOf(data);
        if (replayId != null && replayId <= highestReplayId) {
            // camel can register its channel listener twice when a subscribe races the first connect reply; the
            // same event then arrives twice. Replay ids only grow on a channel, so anything not newer was handled.
            LOG.debug("Skipping event {} on {}: already handled", replayId, channel);
            return;
        }
        if (replayId != null) {
            highestReplayId = replayId;
        }
        events.increment();
        Exchange exchange = createExchange(true);
        SalesforceEvent event = new SalesforceEvent(channel, kind, replayId, data);
        exchange.getIn().setBody(event);
        exchange.setProperty(ORIGINAL_EVENT, event);
        exchange.getIn().setHeader(SalesforceConstants.HEADER_SALESFORCE_CHANNEL, channel);
        if (replayId != null) {
            exchange.getIn().setHeader(SalesforceConstants.HEADER_SALESFORCE_REPLAY_ID, replayId);
        }
        dispatch(exchange);
    }

    private void dispatch(Exchange exchange) {
        worker.execute(() -> {
            // Whether more events of the channel wait: the publisher commits its transaction when none do.
            exchange.setProperty(BACKLOG, worker.getQueue().size());
            try {
                AsyncCallback callback = defaultConsumerCallback(exchange, true);
                getAsyncProcessor().process(exchange, callback);
            } catch (Exception e) {
                getExceptionHandler().handleException("Error processing a Salesforce event from " + channel, exchange,
                        e);
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static Long replayIdOf(Map<String, Object> data) {
        if (data.get("event") instanceof Map<?, ?> event && event.get("replayId") instanceof Number replayId) {
            return replayId.longValue();
        }
        return null;
    }
}
