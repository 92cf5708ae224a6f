package io.dialerbridge.salesforce.stream;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.component.salesforce.SalesforceEndpoint;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.service.ServiceHelper;

/** One subscription of {@link SalesforceStreamComponent}; consume-only. */
public class SalesforceStreamEndpoint extends DefaultEndpoint {

    private final SalesforceEndpoint delegate;
    private final String channel;
    private final long initialReplayId;
    private final long fallbackReplayId;

    SalesforceStreamEndpoint(String uri, SalesforceStreamComponent component, SalesforceEndpoint delegate,
            String channel, long initialReplayId, long fallbackReplayId) {
        super(uri, component);
        this.delegate = delegate;
        this.channel = channel;
        this.initialReplayId = initialReplayId;
        this.fallbackReplayId = fallbackReplayId;
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        // camel's salesforce component starts the streaming client as it starts itself when that client already
        // exists: a handshake that waits up to two minutes and, failing, fails the whole Camel context. Started
        // before the client is made, the component leaves it to the consumer's start, which the route controller
        // tries again after a failure (docs/operations.md).
        ServiceHelper.startService(delegate.getComponent());
        StreamPositions positions = getCamelContext().getRegistry().findSingleByType(StreamPositions.class);
        SalesforceStreamConsumer consumer = new SalesforceStreamConsumer(this, delegate, processor,
                delegate.getComponent().getSubscriptionHelper(), positions);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("salesforce-stream endpoints only consume");
    }

    public String channel() {
        return channel;
    }

    public long initialReplayId() {
        return initialReplayId;
    }

    public long fallbackReplayId() {
        return fallbackReplayId;
    }
}
