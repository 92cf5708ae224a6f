package io.dialerbridge.emulator.pubsub;

import com.google.protobuf.ByteString;
import com.salesforce.eventbus.protobuf.Error;
import com.salesforce.eventbus.protobuf.ErrorCode;
import com.salesforce.eventbus.protobuf.FetchRequest;
import com.salesforce.eventbus.protobuf.FetchResponse;
import com.salesforce.eventbus.protobuf.ProducerEvent;
import com.salesforce.eventbus.protobuf.PubSubGrpc;
import com.salesforce.eventbus.protobuf.PublishRequest;
import com.salesforce.eventbus.protobuf.PublishResponse;
import com.salesforce.eventbus.protobuf.PublishResult;
import com.salesforce.eventbus.protobuf.SchemaInfo;
import com.salesforce.eventbus.protobuf.SchemaRequest;
import com.salesforce.eventbus.protobuf.TopicInfo;
import com.salesforce.eventbus.protobuf.TopicRequest;
import io.dialerbridge.emulator.EmulatorSettings;
import io.dialerbridge.emulator.data.SalesforceApiException;
import io.dialerbridge.emulator.streaming.EventSchemas.EventSchema;
import io.dialerbridge.emulator.pubsub.PubSubTopics.Topic;
import io.dialerbridge.emulator.streaming.EventBus;
import io.dialerbridge.emulator.streaming.PlatformEventPublisher;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The {@code eventbus.v1.PubSub} service over the org's event bus: {@code GetTopic}, {@code GetSchema},
 * {@code Subscribe}, {@code Publish} and {@code PublishStream}, on camel-salesforce's own generated stubs. Platform
 * events published here are the same events a REST publish makes (CometD subscribers see them too), and every
 * event on the bus is served here in Avro.
 */
final class PubSubService extends PubSubGrpc.PubSubImplBase implements FetchStream.Host {

    /** Salesforce's limits for one publish request. */
    static final int MAX_EVENTS_PER_PUBLISH = 200;
    static final int MAX_PUBLISH_BYTES = 3 * 1024 * 1024;
    static final int MAX_EVENT_BYTES = 1024 * 1024;

    private final EmulatorSettings settings;
    private final EventBus bus;
    private final PubSubTopics topics;
    private final PlatformEventPublisher platformEvents;
    private final Predicate<String> tokenValid;
    private final Map<FetchStream, String> streams = new ConcurrentHashMap<>();

    PubSubService(EmulatorSettings settings, EventBus bus, PubSubTopics topics, PlatformEventPublisher platformEvents,
            Predicate<String> tokenValid) {
        this.settings = settings;
        this.bus = bus;
        this.topics = topics;
        this.platformEvents = platformEvents;
        this.tokenValid = tokenValid;
        bus.addListener(this::eventsAvailable);
    }

    @Override
    public void getTopic(TopicRequest request, StreamObserver<TopicInfo> response) {
        String rpcId = PubSubCallGate.RPC_ID.get();
        Topic topic = topics.find(request.getTopicName()).orElse(null);
        if (topic == null) {
            response.onError(PubSubErrors.topicNotFound(request.getTopicName(), rpcId));
            return;
        }
        response.onNext(TopicInfo.newBuilder()
                .setTopicName(topic.name())
                .setTenantGuid(settings.orgId())
                .setCanPublish(topic.canPublish())
                .setCanSubscribe(true)
                .setSchemaId(topic.schemaId())
                .setRpcId(rpcId)
                .build());
        response.onCompleted();
    }

    @Override
    public void getSchema(SchemaRequest request, StreamObserver<SchemaInfo> response) {
        String rpcId = PubSubCallGate.RPC_ID.get();
        EventSchema schema = topics.schema(request.getSchemaId()).orElse(null);
        if (schema == null) {
            response.onError(PubSubErrors.error(Status.Code.NOT_FOUND, PubSubErrors.SCHEMA_NOT_FOUND,
                    "[SchemaNotFound] No schema with id " + request.getSchemaId() + ".", rpcId));
            return;
        }
        response.onNext(SchemaInfo.newBuilder().setSchemaJson(schema.json()).setSchemaId(schema.id())
                .setRpcId(rpcId).build());
        response.onCompleted();
    }

    @Override
    public StreamObserver<FetchRequest> subscribe(StreamObserver<FetchResponse> responses) {
        long keepAlive = settings.pubSubKeepAliveInterval().toNanos();
        return new FetchStream((ServerCallStreamObserver<FetchResponse>) responses, bus, topics, this, tokenValid,
                PubSubCallGate.TOKEN.get(), PubSubCallGate.RPC_ID.get(), keepAlive);
    }

    @Override
    public void publish(PublishRequest request, StreamObserver<PublishResponse> response) {
        try {
            response.onNext(publish(request, PubSubCallGate.RPC_ID.get()));
            response.onCompleted();
        } catch (StatusRuntimeException refused) {
            response.onError(refused);
        }
    }

    @Override
    public StreamObserver<PublishRequest> publishStream(StreamObserver<PublishResponse> responses) {
        String rpcId = PubSubCallGate.RPC_ID.get();
        String token = PubSubCallGate.TOKEN.get();
        return new StreamObserver<>() {
            private boolean ended;

            @Override
            public synchronized void onNext(PublishRequest request) {
                if (ended) {
                    return;
                }
                try {
                    if (!tokenValid.test(token)) {
                        throw PubSubErrors.authentication(rpcId);
                    }
                    responses.onNext(publish(request, rpcId));
                } catch (StatusRuntimeException refused) {
                    ended = true;
                    responses.onError(refused);
                }
            }

            @Override
            public synchronized void onError(Throwable error) {
                ended = true;
            }

            @Override
            public synchronized void onCompleted() {
                if (!ended) {
                    ended = true;
                    responses.onCompleted();
                }
            }
        };
    }

    private PublishResponse publish(PublishRequest request, String rpcId) {
        Topic topic = topics.find(request.getTopicName()).orElseThrow(
                () -> PubSubErrors.topicNotFound(request.getTopicName(), rpcId));
        if (!topic.canPublish()) {
            throw PubSubErrors.error(Status.Code.PERMISSION_DENIED, PubSubErrors.PUBLISH_NOT_ALLOWED,
                    "[PermissionDenied] Events cannot be published to " + topic.name() + ".", rpcId);
        }
        if (request.getEventsCount() > MAX_EVENTS_PER_PUBLISH) {
            throw PubSubErrors.invalid(PubSubErrors.PUBLISH_LIMIT_EXCEEDED, "[LimitExceeded] A publish request "
                    + "holds at most " + MAX_EVENTS_PER_PUBLISH + " events; this one holds "
                    + request.getEventsCount() + ".", rpcId);
        }
        if (request.getSerializedSize() > MAX_PUBLISH_BYTES) {
            throw PubSubErrors.invalid(PubSubErrors.PUBLISH_LIMIT_EXCEEDED, "[LimitExceeded] A publish request "
                    + "holds at most 3 MB; this one holds " + request.getSerializedSize() + " bytes.", rpcId);
        }
        String eventName = topic.name().substring("/event/".length());
        PublishResponse.Builder response = PublishResponse.newBuilder().setSchemaId(topic.schemaId()).setRpcId(rpcId);
        for (ProducerEvent event : request.getEventsList()) {
            response.addResults(publishOne(topic, eventName, event));
        }
        return response.build();
    }

    private PublishResult publishOne(Topic topic, String eventName, ProducerEvent event) {
        String eventUuid = event.getId().isEmpty() ? UUID.randomUUID().toString() : event.getId();
        PublishResult.Builder result = PublishResult.newBuilder().setCorrelationKey(eventUuid);
        if (event.getPayload().size() > MAX_EVENT_BYTES) {
            return result.setError(publishError("The event is larger than 1 MB.")).build();
        }
        if (!topic.schemaId().equals(event.getSchemaId())) {
            return result.setError(publishError("The event's schema id " + event.getSchemaId()
                    + " is not the topic's, " + topic.schemaId() + ".")).build();
        }
        try {
            Map<String, Object> fields = AvroEventCodec.decodePlatformEvent(topic.schema(),
                    event.getPayload().toByteArray());
            PlatformEventPublisher.CheckedEvent checked = platformEvents.check(eventName, fields);
            long replayId = platformEvents.publish(checked, settings.userId(), eventUuid).replayId();
            return result.setReplayId(FetchStream.replayId(replayId)).build();
        } catch (IllegalArgumentException unreadable) {
            return result.setError(publishError("The event payload cannot be read with schema "
                    + topic.schemaId() + ".")).build();
        } catch (SalesforceApiException refused) {
            return result.setError(publishError(refused.errorCode() + ": " + refused.getMessage())).build();
        }
    }

    private static Error publishError(String message) {
        return Error.newBuilder().setCode(ErrorCode.PUBLISH).setMsg(message).build();
    }

    private void eventsAvailable(String channel) {
        streams.forEach((stream, topic) -> {
            if (topic.equals(channel)) {
                stream.pump();
            }
        });
    }

    @Override
    public void register(FetchStream stream, String channel) {
        streams.put(stream, channel);
    }

    @Override
    public void unregister(FetchStream stream) {
        streams.remove(stream);
    }

    /** Subscribe streams open per topic. */
    Map<String, Integer> subscriberCounts() {
        Map<String, Integer> counts = new TreeMap<>();
        streams.values().forEach(topic -> counts.merge(topic, 1, Integer::sum));
        return counts;
    }

    /** Checks every stream's token now and sends what is due, ending those whose token is no longer live. */
    void pumpAll() {
        Set.copyOf(streams.keySet()).forEach(FetchStream::pump);
    }

    void keepAliveAll() {
        Set.copyOf(streams.keySet()).forEach(FetchStream::keepAlive);
    }

    /** Ends every Subscribe stream, normally ({@code error} null) or with the error. */
    int endAll(StatusRuntimeException error) {
        Set<FetchStream> open = Set.copyOf(streams.keySet());
        open.forEach(stream -> {
            if (error == null) {
                stream.complete();
            } else {
                stream.end(error);
            }
        });
        return open.size();
    }
}
