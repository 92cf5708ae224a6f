package io.dialerbridge.salesforce.stream;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import java.util.concurrent.Executor;
import org.apache.camel.component.salesforce.internal.SalesforceSession;

/**
 * The metadata the Pub/Sub API reads on every call ({@code accesstoken}, {@code instanceurl}, {@code tenantid}),
 * taken from camel's Salesforce session as it is at each call, so a token renewed by a re-login is used at once.
 */
public final class PubSubSessionCredentials extends CallCredentials {

    private static final Metadata.Key<String> ACCESS_TOKEN = Metadata.Key.of("accesstoken",
            Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> INSTANCE_URL = Metadata.Key.of("instanceurl",
            Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> TENANT_ID = Metadata.Key.of("tenantid", Metadata.ASCII_STRING_MARSHALLER);

    private final SalesforceSession session;

    public PubSubSessionCredentials(SalesforceSession session) {
        this.session = session;
    }

    @Override
    public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
        Metadata metadata = new Metadata();
        metadata.put(ACCESS_TOKEN, String.valueOf(session.getAccessToken()));
        String instanceUrl = String.valueOf(session.getInstanceUrl());
        metadata.put(INSTANCE_URL,
                instanceUrl.endsWith("/") ? instanceUrl.substring(0, instanceUrl.length() - 1) : instanceUrl);
        metadata.put(TENANT_ID, String.valueOf(session.getOrgId()));
        applier.apply(metadata);
    }
}
