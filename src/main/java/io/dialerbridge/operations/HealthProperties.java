package io.dialerbridge.operations;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** How long the readiness checks wait for Kafka and Salesforce before calling them down ({@code dialer.health.*}). */
@ConfigurationProperties("dialer.health")
public class HealthProperties {

    /** Longest wait for Kafka to describe its cluster. */
    private Duration kafkaTimeout = Duration.ofSeconds(3);
    /** Longest wait for Salesforce to answer the versions request. */
    private Duration salesforceTimeout = Duration.ofSeconds(5);

    public Duration getKafkaTimeout() {
        return kafkaTimeout;
    }

    public void setKafkaTimeout(Duration kafkaTimeout) {
        this.kafkaTimeout = kafkaTimeout;
    }

    public Duration getSalesforceTimeout() {
        return salesforceTimeout;
    }

    public void setSalesforceTimeout(Duration salesforceTimeout) {
        this.salesforceTimeout = salesforceTimeout;
    }
}
