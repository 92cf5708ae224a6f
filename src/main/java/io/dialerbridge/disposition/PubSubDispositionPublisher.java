package io.dialerbridge.disposition;

import com.google.protobuf.ByteString;
import com.salesforce.eventbus.protobuf.ProducerEvent;
import com.salesforce.eventbus.protobuf.PubSubGrpc;
import com.salesforce.eventbus.protobuf.PublishRequest;
import com.salesforce.eventbus.protobuf.PublishResponse;
import com.salesforce.eventbus.protobuf.PublishResult;
import com.salesforce.eventbus.protobuf.SchemaRequest;
import com.salesforce.eventbus.protobuf.TopicInfo;
import com.salesforce.eventbus.protobuf.TopicRequest;
import io.dialerbridge.salesforce.stream.PubSubSessionCredentials;
import io.dialerbridge.salesforce.stream.SessionLogin;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.Metrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.camel.Body;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.component.salesforce.api.dto.RestError;
import org.apache.camel.component.salesforce.api.dto.SaveSObjectResult;
import org.apache.camel.component.salesforce.internal.SalesforceSession;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes {@code Call_Disposition__e} events through the Pub/Sub API's {@code Publish} call and answers as sObject
 * Collections does, one {@link SaveSObjectResult} per event in request order, so the publishing route keeps one
 * bookkeeping for both transports (accepted, refused for now, refused for good) and dispositions cost no REST API
 * calls.
 *
 * <p>Built on the generated stubs camel-salesforce ships rather than its {@code pubSubPublish} producer: that one calls
 * {@code Publish} without a deadline (a silent server would hold the batch for ever), does not log in again when the
 * token expired, and leaves every event's id empty, so a result cannot be tied to its call. Here each event's id is
 * derived from its call id (the same on every retry) and results are matched by their correlation key.
 *
 * <p>A call that fails as a whole (unavailable, deadline, expired token) throws {@link SalesforceException}: the
 * route's error handling retries it with backoff, as it does a failed sObject Collections call. An expired token logs
 * in again first.
 */
public class PubSubDispositionPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PubSubDispositionPublisher.class);
    static final String TOPIC = "/event/" + CallDispositionEvent.API_NAME;
    static final String OPERATION = "pubSubPublish";
    private static final String AUTH_ERROR = "sfdc.platform.eventbus.grpc.service.auth.error";
    private static final Metadata.Key<String> ERROR_CODE = Metadata.Key.of("error-code",
            Metadata.ASCII_STRING_MARSHALLER);
    /** A Salesforce error code at the start of a per-event message, as in {@code "LIMIT_EXCEEDED: …"}. */
    private static final Pattern LEADING_CODE = Pattern.compile("^([A-Z][A-Z0-9_]+):\\s*(.*)$", Pattern.DOTALL);

    private final Supplier<SalesforceComponent> salesforce;
    private final Duration deadline;
    private final Clock clock;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();
    private volatile ManagedChannel channel;

    public PubSubDispositionPublisher(Supplier<SalesforceComponent> salesforce, Duration deadline, Clock clock) {
        this.salesforce = salesforce;
        this.deadline = deadline;
        this.clock = clock;
        Metrics.counter("dialer.salesforce.calls", "operation", OPERATION);
    }

    /**
     * Publishes the events of these dispositions in one {@code Publish} call.
     *
     * @return one result per disposition, in their order: success, or the errors Salesforce gave for that event
     * @throws SalesforceException when the call failed as a whole; nothing of it is known to be published
     */
    public List<SaveSObjectResult> publish(@Body List<Disposition> dispositions) throws SalesforceException {
        SalesforceComponent component = salesforce.get();
        try {
            SessionLogin.logIn(component);
            SalesforceSession session = component.getSession();
            PubSubGrpc.PubSubBlockingStub stub = PubSubGrpc.newBlockingStub(channel(component))
                    .withCallCredentials(new PubSubSessionCredentials(session));
            // Asked each time (a cheap call): a changed event definition is published with its new schema at once.
            TopicInfo topic = deadlined(stub).getTopic(TopicRequest.newBuilder().setTopicName(TOPIC).build());
            Schema schema = schemas.computeIfAbsent(topic.getSchemaId(), id -> new Schema.Parser().parse(
                    deadlined(stub).getSchema(SchemaRequest.newBuilder().setSchemaId(id).build()).getSchemaJson()));
            PublishRequest.Builder request = PublishRequest.newBuilder().setTopicName(topic.getTopicName());
            List<String> eventIds = new ArrayList<>(dispositions.size());
            String userId = userId(session);
            for (Disposition disposition : dispositions) {
                String eventId = eventId(disposition);
                eventIds.add(eventId);
                request.addEvents(ProducerEvent.newBuilder().setId(eventId).setSchemaId(topic.getSchemaId())
                        .setPayload(ByteString.copyFrom(payload(schema, disposition, userId))));
            }
            Metrics.counter("dialer.salesforce.calls", "operation", OPERATION).increment();
            PublishResponse response = deadlined(stub).publish(request.build());
            return results(eventIds, response);
        } catch (StatusRuntimeException failed) {
            String code = errorCode(failed);
            if (failed.getStatus().getCode() == Status.Code.UNAUTHENTICATED || AUTH_ERROR.equals(code)) {
                logInAgain(component);
            }
            throw new SalesforceException("Pub/Sub " + failed.getStatus().getCode() + (code == null ? "" : " (" + code
                    + ")") + " publishing " + dispositions.size() + " dispositions", statusOf(failed), failed);
        }
    }

    private <S extends io.grpc.stub.AbstractStub<S>> S deadlined(S stub) {
        return stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The results in the order of the events: matched by correlation key (the event id sent), or by position when
     * Salesforce sends no keys.
     */
    static List<SaveSObjectResult> results(List<String> eventIds, PublishResponse response) {
        if (response.getResultsCount() != eventIds.size()) {
            throw new IllegalStateException("Pub/Sub answered " + response.getResultsCount() + " results for "
                    + eventIds.size() + " events");
        }
        Map<String, PublishResult> byKey = new HashMap<>();
        for (PublishResult result : response.getResultsList()) {
            byKey.put(result.getCorrelationKey(), result);
        }
        List<SaveSObjectResult> results = new ArrayList<>(eventIds.size());
        for (int i = 0; i < eventIds.size(); i++) {
            PublishResult result = byKey.getOrDefault(eventIds.get(i), response.getResults(i));
            results.add(saveResult(eventIds.get(i), result));
        }
        return results;
    }

    /**
     * One event's result as sObject Collections gives it. A per-event error's Salesforce code is read from the start
     * of its message when there is one; otherwise it is {@code PUBSUB_<ErrorCode>}, which no retry list knows, so the
     * event is dead-lettered rather than retried for ever.
     */
    static SaveSObjectResult saveResult(String eventId, PublishResult result) {
        SaveSObjectResult saved = new SaveSObjectResult();
        if (!result.hasError()) {
            saved.setSuccess(true);
            saved.setId(eventId);
            saved.setErrors(List.of());
            return saved;
        }
        String message = result.getError().getMsg();
        Matcher leading = LEADING_CODE.matcher(message);
        String code = leading.matches() ? leading.group(1) : "PUBSUB_" + result.getError().getCode().name();
        saved.setSuccess(false);
        saved.setErrors(List.of(new RestError(code, leading.matches() ? leading.group(2) : message)));
        return saved;
    }

    /** The event id for a call: the same on every attempt, so a subscriber sees one EventUuid per call. */
    static String eventId(Disposition disposition) {
        return UUID.nameUUIDFromBytes(("dialer-bridge/disposition/" + disposition.callId())
                .getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The event as Avro binary of the topic's schema: date-times as epoch milliseconds, the org's fields set. */
    byte[] payload(Schema schema, Disposition disposition, String userId) {
        Map<String, Object> fields = CallDispositionEvent.fields(disposition);
        GenericRecord record = new GenericData.Record(schema);
        for (Schema.Field field : schema.getFields()) {
            Object value = switch (field.name()) {
                case "CreatedDate" -> clock.millis();
                case "CreatedById" -> userId;
                default -> fields.get(field.name());
            };
            record.put(field.pos(), avroValue(field.schema(), value));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        try {
            new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
            encoder.flush();
        } catch (IOException cannotHappen) {
            throw new IllegalStateException(cannotHappen);
        }
        return bytes.toByteArray();
    }

    private static Object avroValue(Schema schema, Object value) {
        if (value == null) {
            return null;
        }
        Schema type = schema;
        if (schema.getType() == Schema.Type.UNION) {
            type = schema.getTypes().stream().filter(branch -> branch.getType() != Schema.Type.NULL).findFirst()
                    .orElse(schema);
        }
        return switch (type.getType()) {
            case LONG -> value instanceof Number number ? number.longValue()
                    : Instant.parse(value.toString()).toEpochMilli();
            case INT -> ((Number) value).intValue();
            case DOUBLE -> ((Number) value).doubleValue();
            case FLOAT -> ((Number) value).floatValue();
            case BOOLEAN -> value instanceof Boolean flag ? flag : Boolean.parseBoolean(value.toString());
            default -> value.toString();
        };
    }

    /** The user id at the end of the session's identity URL ({@code …/id/<orgId>/<userId>}), or empty. */
    private static String userId(SalesforceSession session) {
        String id = session.getId();
        return id == null ? "" : id.substring(id.lastIndexOf('/') + 1);
    }

    private ManagedChannel channel(SalesforceComponent component) {
        ManagedChannel current = channel;
        if (current == null) {
            synchronized (this) {
                if (channel == null) {
                    channel = ManagedChannelBuilder.forAddress(component.getPubSubHost(), component.getPubSubPort())
                            .build();
                }
                current = channel;
            }
        }
        return current;
    }

    private static void logInAgain(SalesforceComponent component) {
        SalesforceSession session = component.getSession();
        try {
            LOG.info("Pub/Sub refused the session token publishing dispositions; logging in again");
            session.login(session.getAccessToken());
        } catch (Exception e) {
            LOG.warn("Logging in again to publish dispositions failed: {}", e.toString());
        }
    }

    private static String errorCode(Throwable error) {
        Metadata trailers = Status.trailersFromThrowable(error);
        return trailers == null ? null : trailers.get(ERROR_CODE);
    }

    /** The HTTP status a REST call would have had, for logs and the error handling (503 when unavailable). */
    private static int statusOf(StatusRuntimeException failed) {
        return switch (failed.getStatus().getCode()) {
            case UNAUTHENTICATED -> 401;
            case PERMISSION_DENIED -> 403;
            case INVALID_ARGUMENT -> 400;
            case NOT_FOUND -> 404;
            default -> 503;
        };
    }

    /** Starts the salesforce component where no REST endpoint did (the dispositions routes alone, on Pub/Sub). */
    static SalesforceComponent started(SalesforceComponent component) {
        ServiceHelper.startService(component);
        return component;
    }

    @Override
    public void close() throws InterruptedException {
        ManagedChannel open = channel;
        if (open != null) {
            open.shutdownNow();
            open.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
