package io.dialerbridge.salesforce.stream;

import java.time.Duration;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.service.ServiceHelper;

/** One Pub/Sub subscription of {@link SalesforceStreamComponent} ({@code transport=pubsub}); consume-only. */
public class PubSubStreamEndpoint extends DefaultEndpoint {

    private final SalesforceComponent salesforce;
    private final String channel;
    private final long initialReplayId;
    private final long fallbackReplayId;
    private final int batchSize;
    private final Duration firstBackOff;
    private final Duration maxBackOff;

    PubSubStreamEndpoint(String uri, SalesforceStreamComponent component, SalesforceComponent salesforce,
            String channel, long initialReplayId, long fallbackReplayId, int batchSize, Duration firstBackOff,
            Duration maxBackOff) {
        super(uri, component);
        this.salesforce = salesforce;
        this.channel = channel;
        this.initialReplayId = initialReplayId;
        this.fallbackReplayId = fallbackReplayId;
        this.batchSize = Math.max(1, Math.min(100, batchSize));
        this.firstBackOff = firstBackOff;
        this.maxBackOff = maxBackOff;
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        ServiceHelper.startService(salesforce);
        StreamPositions positions = getCamelContext().getRegistry().findSingleByType(StreamPositions.class);
        PubSubStreamConsumer consumer = new PubSubStreamConsumer(this, processor, positions);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("salesforce-stream endpoints only consume");
    }

    SalesforceComponent salesforce() {
        return salesforce;
    }

    public String channel() {
        return channel;
    }

    long initialReplayId() {
        return initialReplayId;
    }

    long fallbackReplayId() {
        return fallbackReplayId;
    }

    /** Events requested at most at once (Salesforce caps the demand of a stream at 100). */
    int batchSize() {
        return batchSize;
    }

    Duration firstBackOff() {
        return firstBackOff;
    }

    /** The back-off after {@code previous}: doubled, never past the cap. */
    Duration nextBackOff(Duration previous) {
        Duration doubled = previous.multipliedBy(2);
        return doubled.compareTo(maxBackOff) > 0 ? maxBackOff : doubled;
    }
}
