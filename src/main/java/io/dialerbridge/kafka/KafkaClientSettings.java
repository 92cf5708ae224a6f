package io.dialerbridge.kafka;

import io.dialerbridge.table.KafkaCompactedTopic;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The Kafka client settings of the bridge's own clients, taken from the camel kafka component.
 *
 * <p>The channels' transactional producers, the compacted tables, the published calls, topic creation and the health
 * check read them when they are first needed, so brokers, security settings and producer timeouts are configured
 * once, in one place.
 */
public class KafkaClientSettings {

    private final CamelContext camel;

    public KafkaClientSettings(CamelContext camel) {
        this.camel = camel;
    }

    public Properties consumer() {
        return withBrokers(kafka().getConfiguration().createConsumerProperties());
    }

    public Properties producer() {
        return withBrokers(kafka().getConfiguration().createProducerProperties());
    }

    /** For an admin client: the component's settings an admin client understands (brokers, TLS, SASL). */
    public Properties admin() {
        return admin(kafka().getConfiguration());
    }

    public static Properties admin(KafkaConfiguration kafka) {
        Properties settings = new Properties();
        for (Map.Entry<Object, Object> entry : kafka.createProducerProperties().entrySet()) {
            if (AdminClientConfig.configNames().contains(String.valueOf(entry.getKey()))) {
                settings.put(entry.getKey(), entry.getValue());
            }
        }
        settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokers());
        return settings;
    }

    /** camel adds the brokers itself when it builds its own clients; ours need them too. */
    private Properties withBrokers(Properties properties) {
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka().getConfiguration().getBrokers());
        return properties;
    }

    /** Opens a compacted topic as a table with these settings. */
    public KafkaCompactedTopic compactedTopic(String topic) {
        return new KafkaCompactedTopic(topic, consumer(), producer());
    }

    private KafkaComponent kafka() {
        return camel.getComponent("kafka", KafkaComponent.class);
    }
}
