package io.dialerbridge.salesforce.stream;

import java.util.Map;
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
 * {@code salesforceComponent} (default {@code salesforce}); every other option is passed to the salesforce
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
        String delegateUri = salesforceComponent + ":subscribe:" + remaining
                + (parameters.isEmpty() ? "" : "?" + URISupport.createQueryString(parameters));
        parameters.clear();
        SalesforceEndpoint delegate = getCamelContext().getEndpoint(delegateUri, SalesforceEndpoint.class);
        return new SalesforceStreamEndpoint(uri, this, delegate, StreamKind.channelOf(remaining), initialReplayId,
                fallbackReplayId);
    }
}
