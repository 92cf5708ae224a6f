package io.dialerbridge.emulator.pubsub;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Pub/Sub's failures as Salesforce sends them: a gRPC status whose description ends in {@code rpcId: <id>}, and
 * trailers carrying Salesforce's {@code error-code} (what clients such as camel's decide on) and the rpc id.
 */
final class PubSubErrors {

    static final Metadata.Key<String> ERROR_CODE = Metadata.Key.of("error-code", Metadata.ASCII_STRING_MARSHALLER);
    /** The trailer that repeats the rpc id; its name is the emulator's guess (Salesforce documents only that it is there). */
    static final Metadata.Key<String> RPC_ID = Metadata.Key.of("rpc-id", Metadata.ASCII_STRING_MARSHALLER);

    static final String AUTH_ERROR = "sfdc.platform.eventbus.grpc.service.auth.error";
    static final String CORRUPTED_REPLAY_ID = "sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted";
    static final String TOPIC_NOT_FOUND = "sfdc.platform.eventbus.grpc.subscription.topic.notfound";
    static final String SERVICE_UNAVAILABLE = "sfdc.platform.eventbus.grpc.service.unavailable";
    // The codes below are the emulator's: Salesforce documents the limits and refusals, not their error codes.
    static final String INVALID_REQUEST = "sfdc.platform.eventbus.grpc.request.invalid";
    static final String SCHEMA_NOT_FOUND = "sfdc.platform.eventbus.grpc.schema.notfound";
    static final String PUBLISH_NOT_ALLOWED = "sfdc.platform.eventbus.grpc.publish.topic.not.allowed";
    static final String PUBLISH_LIMIT_EXCEEDED = "sfdc.platform.eventbus.grpc.publish.limit.exceeded";

    private PubSubErrors() {
    }

    static StatusRuntimeException error(Status.Code code, String errorCode, String message, String rpcId) {
        Metadata trailers = new Metadata();
        trailers.put(ERROR_CODE, errorCode);
        trailers.put(RPC_ID, rpcId);
        return code.toStatus().withDescription(message + " rpcId: " + rpcId).asRuntimeException(trailers);
    }

    static StatusRuntimeException authentication(String rpcId) {
        return error(Status.Code.UNAUTHENTICATED, AUTH_ERROR,
                "[AuthenticationFailed] The access token is not valid or has expired.", rpcId);
    }

    static StatusRuntimeException topicNotFound(String topic, String rpcId) {
        return error(Status.Code.NOT_FOUND, TOPIC_NOT_FOUND, "[TopicNotFound] No topic " + topic
                + " exists, or you lack access to it.", rpcId);
    }

    static StatusRuntimeException corruptedReplayId(String rpcId) {
        return error(Status.Code.INVALID_ARGUMENT, CORRUPTED_REPLAY_ID, "[ReplayIdCorrupted] The replay ID "
                + "is not valid or is outside the retention window. Subscribe with EARLIEST or LATEST.", rpcId);
    }

    static StatusRuntimeException unavailable(String rpcId) {
        return error(Status.Code.UNAVAILABLE, SERVICE_UNAVAILABLE,
                "[ServiceUnavailable] The service is too busy. Retry later.", rpcId);
    }

    static StatusRuntimeException invalid(String errorCode, String message, String rpcId) {
        return error(Status.Code.INVALID_ARGUMENT, errorCode, message, rpcId);
    }
}
