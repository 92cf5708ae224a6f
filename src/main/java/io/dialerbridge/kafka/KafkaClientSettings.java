package io.dialerbridge.kafka;

import io.dialerbridge.replay.KafkaCompactedTopic;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaComponent;

/**
 * Kafka client settings for the bridge's own clients (checkpoints, suppressions), taken from the camel kafka
 * component when they are first needed, so brokers and security settings are configured once, in one place.
 */
public class KafkaClientSettings {

    private final CamelContext camel;

    public KafkaClientSettings(CamelContext camel) {
        this.camel = camel;
    }

    public Properties consumer() {
        return kafka().getConfiguration().createConsumerProperties();
    }

    public Properties producer() {
        return kafka().getConfiguration().createProducerProperties();
    }

    /** Opens a compacted topic as a table with these settings. */
    public KafkaCompactedTopic compactedTopic(String topic) {
        return new KafkaCompactedTopic(topic, consumer(), producer());
    }

    private KafkaComponent kafka() {
        return camel.getComponent("kafka", KafkaComponent.class);
    }
}
