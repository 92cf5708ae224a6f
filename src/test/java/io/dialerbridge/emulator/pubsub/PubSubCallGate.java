package io.dialerbridge.emulator.pubsub;

import io.dialerbridge.emulator.ApiTraffic;
import io.dialerbridge.emulator.EmulatorSettings;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * What every Pub/Sub call passes first: it is counted, refused while the admin API has armed "busy", and
 * authenticated from its metadata ({@code accesstoken} a live token of the org, {@code tenantid} the org id,
 * {@code instanceurl} given), as Salesforce checks the three headers on every RPC. Each call gets its rpc id here.
 */
final class PubSubCallGate implements ServerInterceptor {

    static final Metadata.Key<String> ACCESS_TOKEN = Metadata.Key.of("accesstoken", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> INSTANCE_URL = Metadata.Key.of("instanceurl", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> TENANT_ID = Metadata.Key.of("tenantid", Metadata.ASCII_STRING_MARSHALLER);

    static final Context.Key<String> TOKEN = Context.key("accesstoken");
    static final Context.Key<String> RPC_ID = Context.key("rpc-id");

    private final EmulatorSettings settings;
    private final ApiTraffic traffic;
    private final Predicate<String> tokenValid;

    PubSubCallGate(EmulatorSettings settings, ApiTraffic traffic, Predicate<String> tokenValid) {
        this.settings = settings;
        this.traffic = traffic;
        this.tokenValid = tokenValid;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        String rpcId = UUID.randomUUID().toString();
        traffic.count("RPC", call.getMethodDescriptor().getFullMethodName());
        StatusRuntimeException refusal = null;
        String token = headers.get(ACCESS_TOKEN);
        if (traffic.takeBusyAnswer(ApiTraffic.Api.PUBSUB)) {
            refusal = PubSubErrors.unavailable(rpcId);
        } else if (!tokenValid.test(token) || !settings.orgId().equals(headers.get(TENANT_ID))
                || headers.get(INSTANCE_URL) == null) {
            refusal = PubSubErrors.authentication(rpcId);
        }
        if (refusal != null) {
            call.close(refusal.getStatus(), refusal.getTrailers());
            return new ServerCall.Listener<>() { };
        }
        Context context = Context.current().withValue(TOKEN, token).withValue(RPC_ID, rpcId);
        return Contexts.interceptCall(context, call, headers, next);
    }
}
