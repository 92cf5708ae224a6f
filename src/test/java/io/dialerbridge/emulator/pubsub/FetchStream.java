package io.dialerbridge.emulator.pubsub;

import com.google.protobuf.ByteString;
import com.salesforce.eventbus.protobuf.ConsumerEvent;
import com.salesforce.eventbus.protobuf.FetchRequest;
import com.salesforce.eventbus.protobuf.FetchResponse;
import com.salesforce.eventbus.protobuf.ProducerEvent;
import com.salesforce.eventbus.protobuf.ReplayPreset;
import io.dialerbridge.emulator.streaming.EventSchemas.EventSchema;
import io.dialerbridge.emulator.pubsub.PubSubTopics.Topic;
import io.dialerbridge.emulator.streaming.EventBus;
import io.dialerbridge.emulator.streaming.InvalidReplayIdException;
import io.dialerbridge.emulator.streaming.StreamingEvent;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * One {@code Subscribe} call: the first FetchRequest names the topic and where to start (LATEST, EARLIEST, or
 * CUSTOM after a replay id); every request adds demand, at most {@value #MAX_DEMAND} outstanding; events go out as
 * far as demand reaches, each response saying what demand is left, and an empty response carrying the position
 * keeps an idle stream alive. Errors end the stream with Salesforce's status and {@code error-code} trailer.
 */
final class FetchStream implements StreamObserver<FetchRequest> {

    static final int MAX_DEMAND = 100;
    /** Keeps each response well inside gRPC's default 4 MiB inbound limit on the client. */
    private static final int RESPONSE_BUDGET_BYTES = 3 * 1024 * 1024;

    /** What the stream needs from the server around it. */
    interface Host {
        void register(FetchStream stream, String channel);

        void unregister(FetchStream stream);
    }

    private final ServerCallStreamObserver<FetchResponse> responses;
    private final EventBus bus;
    private final PubSubTopics topics;
    private final Host host;
    private final Predicate<String> tokenValid;
    private final String token;
    private final String rpcId;
    private final long keepAliveNanos;

    private Topic topic;
    private long cursor;
    private int demand;
    private boolean ended;
    private long lastResponseNanos = System.nanoTime();

    FetchStream(ServerCallStreamObserver<FetchResponse> responses, EventBus bus, PubSubTopics topics, Host host,
            Predicate<String> tokenValid, String token, String rpcId, long keepAliveNanos) {
        this.responses = responses;
        this.bus = bus;
        this.topics = topics;
        this.host = host;
        this.tokenValid = tokenValid;
        this.token = token;
        this.rpcId = rpcId;
        this.keepAliveNanos = keepAliveNanos;
        responses.setOnCancelHandler(this::cancelled);
    }

    /** Replay ids travel as the 8 big-endian bytes of the bus's replay id, the same position CometD names. */
    static ByteString replayId(long replayId) {
        return ByteString.copyFrom(ByteBuffer.allocate(Long.BYTES).putLong(replayId).array());
    }

    @Override
    public synchronized void onNext(FetchRequest request) {
        if (ended) {
            return;
        }
        if (topic == null) {
            if (!start(request)) {
                return;
            }
        } else if (!request.getTopicName().isEmpty() && !request.getTopicName().equals(topic.name())) {
            end(PubSubErrors.invalid(PubSubErrors.INVALID_REQUEST, "[InvalidArgument] A stream reads one topic: "
                    + topic.name() + ", not " + request.getTopicName() + ".", rpcId));
            return;
        }
        demand = Math.min(MAX_DEMAND, demand + Math.max(0, request.getNumRequested()));
        pump();
    }

    private boolean start(FetchRequest request) {
        String name = request.getTopicName();
        Topic found = topics.find(name).orElse(null);
        if (found == null) {
            end(PubSubErrors.topicNotFound(name, rpcId));
            return false;
        }
        long requested = switch (request.getReplayPreset()) {
            case EARLIEST -> -2;
            case CUSTOM -> request.getReplayId().size() == Long.BYTES
                    ? request.getReplayId().asReadOnlyByteBuffer().getLong() : Long.MIN_VALUE;
            default -> -1;
        };
        try {
            if (request.getReplayPreset() == ReplayPreset.CUSTOM && requested < 0) {
                // Not a replay id this org ever handed out: Salesforce calls it corrupted too.
                throw new InvalidReplayIdException(requested);
            }
            cursor = bus.startingPoint(name, requested);
        } catch (InvalidReplayIdException invalid) {
            end(PubSubErrors.corruptedReplayId(rpcId));
            return false;
        }
        topic = found;
        host.register(this, name);
        return true;
    }

    /** Sends what demand allows; ends the stream when its token has expired or been revoked. */
    synchronized void pump() {
        if (ended || topic == null) {
            return;
        }
        if (!tokenValid.test(token)) {
            end(PubSubErrors.authentication(rpcId));
            return;
        }
        while (demand > 0) {
            List<StreamingEvent> batch = bus.eventsAfter(topic.name(), cursor, RESPONSE_BUDGET_BYTES);
            if (batch.isEmpty()) {
                return;
            }
            FetchResponse.Builder response = FetchResponse.newBuilder().setRpcId(rpcId);
            for (StreamingEvent event : batch.subList(0, Math.min(demand, batch.size()))) {
                response.addEvents(consumerEvent(event));
                cursor = event.replayId();
                demand--;
            }
            send(response.setLatestReplayId(replayId(cursor)).setPendingNumRequested(demand).build());
        }
    }

    /** An empty response with the stream's position, when demand is outstanding and nothing was sent for a while. */
    synchronized void keepAlive() {
        if (ended || topic == null) {
            return;
        }
        if (!tokenValid.test(token)) {
            end(PubSubErrors.authentication(rpcId));
            return;
        }
        if (demand > 0 && System.nanoTime() - lastResponseNanos >= keepAliveNanos) {
            send(FetchResponse.newBuilder().setRpcId(rpcId).setLatestReplayId(replayId(cursor))
                    .setPendingNumRequested(demand).build());
        }
    }

    private ConsumerEvent consumerEvent(StreamingEvent event) {
        EventSchema schema = topics.schemaOf(event);
        return ConsumerEvent.newBuilder()
                .setEvent(ProducerEvent.newBuilder()
                        .setId(eventUuid(event))
                        .setSchemaId(schema.id())
                        .setPayload(ByteString.copyFrom(AvroEventCodec.encode(schema, event))))
                .setReplayId(replayId(event.replayId()))
                .build();
    }

    /** A platform event's EventUuid; a change event's is derived from its replay id, so it is the same every time. */
    private static String eventUuid(StreamingEvent event) {
        if (event.data().get("event") instanceof Map<?, ?> header && header.get("EventUuid") != null) {
            return header.get("EventUuid").toString();
        }
        return UUID.nameUUIDFromBytes(("change-event-" + event.replayId()).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    private void send(FetchResponse response) {
        lastResponseNanos = System.nanoTime();
        responses.onNext(response);
    }

    /** Ends the stream with an error status, as Salesforce does on every failure. */
    synchronized void end(StatusRuntimeException error) {
        if (ended) {
            return;
        }
        ended = true;
        host.unregister(this);
        responses.onError(error);
    }

    /** Ends the stream normally from the server's side (a client must subscribe again). */
    synchronized void complete() {
        if (ended) {
            return;
        }
        ended = true;
        host.unregister(this);
        responses.onCompleted();
    }

    @Override
    public synchronized void onError(Throwable error) {
        ended = true;
        host.unregister(this);
    }

    @Override
    public synchronized void onCompleted() {
        complete();
    }

    private synchronized void cancelled() {
        ended = true;
        host.unregister(this);
    }

    synchronized String topicName() {
        return topic == null ? null : topic.name();
    }
}
