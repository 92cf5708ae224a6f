package io.dialerbridge.salesforce.stream;

import com.google.protobuf.ByteString;
import com.salesforce.eventbus.protobuf.ConsumerEvent;
import com.salesforce.eventbus.protobuf.FetchRequest;
import com.salesforce.eventbus.protobuf.FetchResponse;
import com.salesforce.eventbus.protobuf.PubSubGrpc;
import com.salesforce.eventbus.protobuf.ReplayPreset;
import com.salesforce.eventbus.protobuf.SchemaRequest;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.component.salesforce.SalesforceConstants;
import org.apache.camel.component.salesforce.internal.SalesforceSession;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A change data capture or platform event stream over Salesforce's Pub/Sub API (gRPC), with the guarantees the
 * CometD consumer gives: it resumes after the durable checkpoint (the opaque replay id the channel's Kafka transaction
 * stored), asks for events only as the route has handled them, and never moves past an event the route did not
 * handle: a failed event, an error or the server ending the stream cancels the subscription, and after a capped
 * back-off it subscribes again after the checkpoint. An auth error logs in again first; a replay id Salesforce refuses
 * as corrupted or expired falls back to {@code fallbackReplayId} (-1 LATEST, -2 EARLIEST) and, on a CDC channel,
 * asks the route to read the entity again, as the CometD consumer does.
 *
 * <p>Built on the generated stubs camel-salesforce ships, not on camel's {@code pubSubSubscribe} consumer: that one
 * keeps its position in memory, moves past an event whose processing failed, never resubscribes when the server
 * completes the stream, and backs off without a cap. One thread per channel subscribes, runs the route for each event
 * in order and requests more.
 */
public class PubSubStreamConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(PubSubStreamConsumer.class);
    static final String AUTH_ERROR = "sfdc.platform.eventbus.grpc.service.auth.error";
    static final String AUTH_REFRESH_INVALID = "sfdc.platform.eventbus.grpc.service.auth.refresh.invalid";
    static final String CORRUPTED_REPLAY_ID = "sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted";
    private static final Metadata.Key<String> ERROR_CODE = Metadata.Key.of("error-code",
            Metadata.ASCII_STRING_MARSHALLER);
    private static final Duration CALL_DEADLINE = Duration.ofSeconds(30);

    private final PubSubStreamEndpoint endpoint;
    private final String channel;
    private final StreamKind kind;
    private final StreamPositions positions;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile boolean running;
    private volatile ClientCallStreamObserver<FetchRequest> current;
    /** Whether a Subscribe call is open: sent, and not ended by an error, the server or a failed event. */
    private volatile boolean subscribed;
    private ManagedChannel grpc;
    private Thread thread;
    private Counter events;

    PubSubStreamConsumer(PubSubStreamEndpoint endpoint, Processor processor, StreamPositions positions) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.channel = endpoint.channel();
        this.kind = StreamKind.of(channel);
        this.positions = positions;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        SalesforceComponent component = endpoint.salesforce();
        SessionLogin.logIn(component);
        events = Metrics.counter("dialer.stream.events", "channel", channel);
        grpc = ManagedChannelBuilder.forAddress(component.getPubSubHost(), component.getPubSubPort()).build();
        running = true;
        thread = new Thread(this::subscribeUntilStopped, "salesforce-pubsub " + channel);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    protected void doStop() throws Exception {
        running = false;
        stopping.countDown();
        ClientCallStreamObserver<FetchRequest> call = current;
        if (call != null) {
            call.cancel("the route stops", null);
        }
        if (thread != null) {
            thread.interrupt();
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
        if (grpc != null) {
            grpc.shutdownNow();
            grpc.awaitTermination(5, TimeUnit.SECONDS);
        }
        super.doStop();
    }

    /** Whether the Subscribe call is open (for the readiness details; Salesforce may stay silent up to 270 s). */
    public boolean isSubscribed() {
        return subscribed;
    }

    /** How one subscription ended. */
    private enum Ending { STOPPED, COMPLETED, ERROR, EVENT_FAILED }

    private void subscribeUntilStopped() {
        Duration backOff = endpoint.firstBackOff();
        ReplayPreset fallback = null;
        while (running) {
            Subscription subscription = new Subscription();
            Ending ending;
            try {
                ending = subscription.run(fallback);
            } catch (RuntimeException e) {
                LOG.warn("Pub/Sub subscription to {} failed: {}", channel, e.toString());
                subscription.error = e;
                ending = Ending.ERROR;
            }
            if (ending == Ending.STOPPED || !running) {
                return;
            }
            if (subscription.handled > 0) {
                backOff = endpoint.firstBackOff();
            }
            fallback = null;
            if (ending == Ending.ERROR) {
                String code = errorCode(subscription.error);
                if (AUTH_ERROR.equals(code) || AUTH_REFRESH_INVALID.equals(code)) {
                    logInAgain();
                } else if (CORRUPTED_REPLAY_ID.equals(code) && subscription.resumedAfter != null) {
                    fallback = fellBack(subscription.resumedAfter);
                    if (fallback != null) {
                        // The fallback subscription follows at once: the resync already holds the stream's place.
                        continue;
                    }
                }
            }
            LOG.info("Subscribing to {} over Pub/Sub again in {} ms ({})", channel, backOff.toMillis(),
                    ending == Ending.COMPLETED ? "the server ended the stream"
                            : ending == Ending.EVENT_FAILED ? "an event was not handled" : subscription.error);
            try {
                if (stopping.await(backOff.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
            backOff = endpoint.nextBackOff(backOff);
        }
    }

    /**
     * Salesforce refused the checkpoint: counts the fallback, asks a CDC route to read the entity again (handled
     * before the fallback subscription, so nothing behind it moves the checkpoint first), and names the preset to
     * subscribe with; null when the resync was not handled (the next subscription finds the checkpoint refused again).
     */
    private ReplayPreset fellBack(byte[] refused) {
        Long refusedReplayId = StreamPositions.numberOf(refused);
        long refusedId = refusedReplayId == null ? -1 : refusedReplayId;
        LOG.warn("Salesforce no longer retains the events after replay id {} on {}; resuming from {}", refusedId,
                channel, endpoint.fallbackReplayId());
        if (positions != null) {
            positions.fellBack(channel, refusedId, endpoint.fallbackReplayId());
        }
        String entity = SalesforceStreamConsumer.entityOf(channel);
        if (kind == StreamKind.PLATFORM_EVENT) {
            SalesforceStreamConsumer.reportLostEvents(channel, refusedId);
        }
        if (kind == StreamKind.CHANGE_DATA_CAPTURE && entity != null) {
            Exchange exchange = createExchange(true);
            ResyncRequests.fill(exchange, channel, entity, null);
            exchange.setProperty(SalesforceStreamConsumer.BACKLOG, 0);
            LOG.warn("Resynchronising {} after lost changes on {}", entity, channel);
            if (!handled(exchange)) {
                return null;
            }
        }
        return endpoint.fallbackReplayId() == -2 ? ReplayPreset.EARLIEST : ReplayPreset.LATEST;
    }

    private void logInAgain() {
        SalesforceSession session = endpoint.salesforce().getSession();
        try {
            LOG.info("Pub/Sub refused the session token on {}; logging in again", channel);
            session.login(session.getAccessToken());
        } catch (Exception e) {
            LOG.warn("Logging in again for {} failed: {}", channel, e.toString());
        }
    }

    /** Runs the route for one exchange; false when it failed (the event is then held: it comes again). */
    private boolean handled(Exchange exchange) {
        try {
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        if (exchange.getException() != null) {
            getExceptionHandler().handleException("Error processing a Salesforce event from " + channel, exchange,
                    exchange.getException());
            releaseExchange(exchange, false);
            return false;
        }
        releaseExchange(exchange, false);
        return true;
    }

    private static String errorCode(Throwable error) {
        Metadata trailers = error == null ? null : Status.trailersFromThrowable(error);
        return trailers == null ? null : trailers.get(ERROR_CODE);
    }

    /** The metadata Salesforce reads on every call, from camel's session as it is at the call. */
    private CallCredentials credentials() {
        return new PubSubSessionCredentials(endpoint.salesforce().getSession());
    }

    private Schema schema(String schemaId) {
        return schemas.computeIfAbsent(schemaId, id -> new Schema.Parser().parse(PubSubGrpc.newBlockingStub(grpc)
                .withCallCredentials(credentials()).withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                .getSchema(SchemaRequest.newBuilder().setSchemaId(id).build()).getSchemaJson()));
    }

    /** One Subscribe call: its responses queue up for the channel's thread, which handles them in order. */
    private final class Subscription implements ClientResponseObserver<FetchRequest, FetchResponse> {

        private final BlockingQueue<Object> signals = new LinkedBlockingQueue<>();
        private final Deque<FetchResponse> responses = new ArrayDeque<>();
        private static final Object COMPLETED = new Object();
        private ClientCallStreamObserver<FetchRequest> requests;
        Throwable error;
        byte[] resumedAfter;
        int handled;

        @Override
        public void beforeStart(ClientCallStreamObserver<FetchRequest> requestStream) {
            this.requests = requestStream;
        }

        @Override
        public void onNext(FetchResponse response) {
            signals.add(response);
        }

        @Override
        public void onError(Throwable t) {
            signals.add(t);
        }

        @Override
        public void onCompleted() {
            signals.add(COMPLETED);
        }

        Ending run(ReplayPreset fallback) {
            FetchRequest.Builder first = FetchRequest.newBuilder().setTopicName(channel)
                    .setNumRequested(endpoint.batchSize());
            Optional<byte[]> checkpoint = positions == null ? Optional.empty()
                    : positions.resumePositionAfter(channel);
            if (fallback != null) {
                first.setReplayPreset(fallback);
            } else if (checkpoint.isPresent()) {
                resumedAfter = checkpoint.get();
                first.setReplayPreset(ReplayPreset.CUSTOM).setReplayId(ByteString.copyFrom(resumedAfter));
            } else if (endpoint.initialReplayId() >= 0) {
                resumedAfter = StreamPositions.bytesOf(endpoint.initialReplayId());
                first.setReplayPreset(ReplayPreset.CUSTOM).setReplayId(ByteString.copyFrom(resumedAfter));
            } else {
                first.setReplayPreset(endpoint.initialReplayId() == -2 ? ReplayPreset.EARLIEST : ReplayPreset.LATEST);
            }
            LOG.info("Subscribing to {} over Pub/Sub: {}", channel, first.getReplayPreset() == ReplayPreset.CUSTOM
                    ? "after replay id " + StreamPositions.numberOf(resumedAfter) : first.getReplayPreset());
            PubSubGrpc.newStub(grpc).withCallCredentials(credentials()).subscribe(this);
            current = requests;
            if (!running) {
                requests.cancel("the route stops", null);
                return Ending.STOPPED;
            }
            requests.onNext(first.build());
            subscribed = true;
            int sinceRequest = 0;
            try {
                while (running) {
                    Object signal = signals.take();
                    if (signal == COMPLETED) {
                        return Ending.COMPLETED;
                    }
                    if (signal instanceof Throwable failure) {
                        error = failure;
                        if (!running) {
                            return Ending.STOPPED;
                        }
                        LOG.warn("Pub/Sub stream of {} ended: {} ({})", channel, failure.getMessage(),
                                errorCode(failure));
                        return Ending.ERROR;
                    }
                    FetchResponse response = (FetchResponse) signal;
                    for (int i = 0; i < response.getEventsCount(); i++) {
                        Exchange exchange = exchange(response.getEvents(i), backlog(response, i));
                        if (!handled(exchange)) {
                            requests.cancel("an event was not handled", null);
                            return running ? Ending.EVENT_FAILED : Ending.STOPPED;
                        }
                        handled++;
                        // Demand follows what the route handled: at most batchSize events are ever on their way.
                        if (++sinceRequest >= Math.max(1, endpoint.batchSize() / 2)) {
                            requests.onNext(FetchRequest.newBuilder().setTopicName(channel)
                                    .setNumRequested(sinceRequest).build());
                            sinceRequest = 0;
                        }
                    }
                }
                return Ending.STOPPED;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Ending.STOPPED;
            } catch (StatusRuntimeException e) {
                // GetSchema refused: the stream ends as on any error, and its code says what to do.
                requests.cancel("the schema could not be read", e);
                error = e;
                return running ? Ending.ERROR : Ending.STOPPED;
            } finally {
                current = null;
                subscribed = false;
            }
        }

        /** Events received and not yet handed to the route behind event {@code index} of {@code response}. */
        private int backlog(FetchResponse response, int index) {
            int waiting = response.getEventsCount() - index - 1;
            for (Object signal : signals) {
                if (signal instanceof FetchResponse queued) {
                    waiting += queued.getEventsCount();
                }
            }
            return waiting;
        }
    }

    private Exchange exchange(ConsumerEvent consumed, int backlog) {
        byte[] replay = consumed.getReplayId().toByteArray();
        Long replayId = StreamPositions.numberOf(replay);
        String schemaId = consumed.getEvent().getSchemaId();
        Map<String, Object> data;
        try {
            data = PubSubEventReader.data(schema(schemaId), schemaId, consumed.getEvent().getPayload().toByteArray(),
                    replayId, consumed.getEvent().getId());
        } catch (IllegalArgumentException | org.apache.avro.SchemaParseException unreadable) {
            // Not skipped: the mapper finds no payload and the event becomes a dead letter in its place.
            data = new LinkedHashMap<>();
            data.put("schema", schemaId);
            data.put("event", replayId == null ? Map.of() : Map.of("replayId", replayId));
            data.put("unreadable", unreadable.getMessage());
        }
        events.increment();
        Exchange exchange = createExchange(true);
        SalesforceEvent event = new SalesforceEvent(channel, kind, replayId, data);
        exchange.getIn().setBody(event);
        exchange.setProperty(SalesforceStreamConsumer.ORIGINAL_EVENT, event);
        exchange.setProperty(SalesforceStreamConsumer.BACKLOG, backlog);
        exchange.getIn().setHeader(SalesforceConstants.HEADER_SALESFORCE_CHANNEL, channel);
        if (replayId != null) {
            exchange.getIn().setHeader(SalesforceConstants.HEADER_SALESFORCE_REPLAY_ID, replayId);
        }
        exchange.getIn().setHeader(SalesforceStreamConsumer.REPLAY_POSITION, Base64.getEncoder().encodeToString(replay));
        return exchange;
    }
}
