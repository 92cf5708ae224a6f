package io.dialerbridge.salesforce.stream;

import java.time.Duration;
import java.util.Map;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.Endpoint;
import org.apache.camel.component.salesforce.SalesforceEndpoint;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.util.URISupport;

/**
 * {@code salesforce-stream:<topic>}, a streaming consumer for all four Salesforce streams. It rides on the
 * {@code salesforce} component's own session, login and CometD subscription machinery, but hands the route the event as
 * Salesforce sent it ({@link SalesforceEvent}) and resumes from the bridge's durable checkpoint.
 *
 * <p>Options of its own: {@code initialReplayId} (where to start without a checkpoint, default -1),
 * {@code fallbackReplayId} (where to restart when the checkpoint left retention, default -2) and
 * {@code salesforceComponent} (default {@code salesforce}), {@code transport} ({@code cometd}, the default, or
 * {@code pubsub} for CDC and platform events: {@link PubSubStreamConsumer}, with {@code batchSize}, the demand, default
 * 100, and the capped resubscription back-off {@code firstBackOffMs} / {@code maxBackOffMs}, default 1 s / 30 s); every
 * other option is passed to the salesforce
 * endpoint, e.g. {@code sObjectQuery} and {@code updateTopic} for a PushTopic.
 */
@Component("salesforce-stream")
public class SalesforceStreamComponent extends DefaultComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        long initialReplayId = getAndRemoveParameter(parameters, "initialReplayId", Long.class, -1L);
        long fallbackReplayId = getAndRemoveParameter(parameters, "fallbackReplayId", Long.class, -2L);
        String salesforceComponent = getAndRemoveParameter(parameters, "salesforceComponent", String.class,
                "salesforce");
        String transport = getAndRemoveParameter(parameters, "transport", String.class, "cometd");
        int batchSize = getAndRemoveParameter(parameters, "batchSize", Integer.class, 100);
        long firstBackOffMs = getAndRemoveParameter(parameters, "firstBackOffMs", Long.class, 1_000L);
        long maxBackOffMs = getAndRemoveParameter(parameters, "maxBackOffMs", Long.class, 30_000L);
        String channel = StreamKind.channelOf(remaining);
        if ("pubsub".equalsIgnoreCase(transport)) {
            StreamKind kind = StreamKind.of(channel);
            if (kind != StreamKind.CHANGE_DATA_CAPTURE && kind != StreamKind.PLATFORM_EVENT) {
                throw new IllegalArgumentException("The Pub/Sub API carries change data capture and platform events"
                        + " only; " + channel + " (" + kind + ") stays on transport cometd");
            }
            // PushTopic options do not apply to these streams; whatever else is given is not used either.
            parameters.clear();
            return new PubSubStreamEndpoint(uri, this, getCamelContext().getComponent(salesforceComponent,
                    SalesforceComponent.class), channel, initialReplayId, fallbackReplayId, batchSize,
                    Duration.ofMillis(firstBackOffMs), Duration.ofMillis(maxBackOffMs));
        }
        if (!"cometd".equalsIgnoreCase(transport)) {
            throw new IllegalArgumentException("Unknown stream transport " + transport + " for " + channel
                    + ": cometd or pubsub");
        }
        String delegateUri = salesforceComponent + ":subscribe:" + remaining
                + (parameters.isEmpty() ? "" : "?" + URISupport.createQueryString(parameters));
        parameters.clear();
        SalesforceEndpoint delegate = getCamelContext().getEndpoint(delegateUri, SalesforceEndpoint.class);
        return new SalesforceStreamEndpoint(uri, this, delegate, channel, initialReplayId,
                fallbackReplayId);
    }
}
