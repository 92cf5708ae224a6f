package io.dialerbridge.operations;

import io.dialerbridge.BeforeRoutesStart;
import io.dialerbridge.disposition.ApiKeyAuthenticator;
import io.dialerbridge.leadership.LeaderOnlyRoutes;
import io.dialerbridge.replay.ReplayCheckpoints;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The health checks that readiness is made of ({@code kafka} and {@code salesforce}), and each channel's replay lag
 * ({@code replay}). Which probe includes which check is set in {@code application.yaml} under
 * {@code management.endpoint.health.group}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HealthProperties.class)
public class OperationsConfiguration {

    /**
     * One Salesforce login before any route starts: refused settings stop the start, an unavailable Salesforce does
     * not (the stream routes then log in as they start, retried by the route controller). Before the state is read,
     * so that camel's streaming client has long handled its handshake when the stream routes subscribe.
     */
    @Bean
    BeforeRoutesStart salesforceFirstLogin(CamelContext camel) {
        return BeforeRoutesStart.register(camel, -1, SalesforceFirstLogin::attempt);
    }

    /** Named {@code kafka} in the health endpoint. */
    @Bean
    KafkaHealthIndicator kafkaHealthIndicator(CamelContext camel, HealthProperties properties) {
        return new KafkaHealthIndicator(camel, properties.getKafkaTimeout());
    }

    /** Named {@code salesforce} in the health endpoint. */
    @Bean
    SalesforceStreamingHealthIndicator salesforceHealthIndicator(CamelContext camel, HealthProperties properties,
            ObjectProvider<LeaderOnlyRoutes> leaderOnly) {
        return new SalesforceStreamingHealthIndicator(camel, properties.getSalesforceTimeout(),
                () -> leaderOnlyRoutes(leaderOnly));
    }

    private static Collection<Route> leaderOnlyRoutes(ObjectProvider<LeaderOnlyRoutes> leaderOnly) {
        LeaderOnlyRoutes routes = leaderOnly.getIfAvailable();
        return routes == null ? List.of() : routes.routes();
    }

    /**
     * The management token check on the actuator's paths: the health details only for those who present
     * {@code dialer.management.tokens} ({@code DIALER_MANAGEMENT_TOKENS}); none configured, nobody sees them. Only in
     * a servlet web application: without one there is no actuator over HTTP to guard.
     */
    @Bean
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    FilterRegistrationBean<ManagementTokenFilter> managementTokenFilter(
            @Value("${dialer.management.tokens:}") String tokens, WebEndpointProperties endpoints) {
        List<String> configured = ApiKeyAuthenticator.keys(tokens);
        ApiKeyAuthenticator authenticator;
        try {
            authenticator = configured.isEmpty() ? null : new ApiKeyAuthenticator(configured);
        } catch (IllegalArgumentException malformed) {
            // The message names the token by position, never by content.
            throw new IllegalArgumentException("dialer.management.tokens (DIALER_MANAGEMENT_TOKENS): "
                    + malformed.getMessage().replace("API key", "management token"), malformed);
        }
        FilterRegistrationBean<ManagementTokenFilter> registration = new FilterRegistrationBean<>(
                new ManagementTokenFilter(authenticator));
        String basePath = endpoints.getBasePath().replaceAll("/+$", "");
        registration.addUrlPatterns(basePath + "/*");
        registration.setName("managementTokenFilter");
        return registration;
    }

    /** {@code dialer.stream.connected} per Salesforce route, for the alert on a stream that is not connected. */
    @Bean
    StreamConnectionMeters streamConnectionMeters(CamelContext camel, MeterRegistry meters,
            ObjectProvider<LeaderOnlyRoutes> leaderOnly) {
        return new StreamConnectionMeters(camel, meters, () -> leaderOnlyRoutes(leaderOnly));
    }

    /** Named {@code replay} in the health endpoint: each channel's replay lag; not part of readiness. */
    @Bean
    ReplayHealthContributor replayHealthContributor(ReplayCheckpoints checkpoints) {
        return new ReplayHealthContributor(checkpoints);
    }
}
