package io.dialerbridge.operations;

import io.dialerbridge.replay.ReplayCheckpoints;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The health checks that readiness is made of ({@code kafka} and {@code salesforce}), and each channel's replay lag
 * ({@code replay}); which probe includes which check is set in {@code application.yaml} under {@code management.endpoint.health.group}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HealthProperties.class)
public class OperationsConfiguration {

    /** Named {@code kafka} in the health endpoint. */
    @Bean
    KafkaHealthIndicator kafkaHealthIndicator(CamelContext camel, HealthProperties properties) {
        return new KafkaHealthIndicator(camel, properties.getKafkaTimeout());
    }

    /** Named {@code salesforce} in the health endpoint. */
    @Bean
    SalesforceStreamingHealthIndicator salesforceHealthIndicator(CamelContext camel, HealthProperties properties) {
        return new SalesforceStreamingHealthIndicator(camel, properties.getSalesforceTimeout());
    }

    /** {@code dialer.stream.connected} per Salesforce route, for the alert on a stream that is not connected. */
    @Bean
    StreamConnectionMeters streamConnectionMeters(CamelContext camel, MeterRegistry meters) {
        return new StreamConnectionMeters(camel, meters);
    }

    /** Named {@code replay} in the health endpoint: each channel's replay lag; not part of readiness. */
    @Bean
    ReplayHealthContributor replayHealthContributor(ReplayCheckpoints checkpoints) {
        return new ReplayHealthContributor(checkpoints);
    }
}
