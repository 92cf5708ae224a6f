package io.dialerbridge.disposition;

import io.dialerbridge.command.phone.PhoneNormalizer;
import io.dialerbridge.kafka.DialerTopics;
import io.dialerbridge.kafka.KafkaClientSettings;
import io.dialerbridge.table.CompactedTables;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the dispositions flow. It provides the beans its three routes call by name, the body limit in front of the
 * intake, and the published-calls memory, read from Kafka before any route consumes ({@link CompactedTables}). It
 * refuses to start with settings the flow cannot honour or an unusable API key, naming each setting and its environment
 * variable.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DispositionsProperties.class)
public class DispositionsConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(DispositionsConfiguration.class);

    /** How long one attempt of the start may take to read the published-calls topic. */
    private static final Duration PUBLISHED_CALLS_LOAD_TIMEOUT = Duration.ofMinutes(2);

    /** Longest wait for one Pub/Sub call; a Publish of 200 events takes well under a second. */
    private static final Duration PUBSUB_DEADLINE = Duration.ofSeconds(30);

    /**
     * The intake's API keys, or none: without keys every request is refused (fail closed) and the start says so, so
     * a deployment that only uses the Kafka input needs no key. A configured key that is unusable stops the start.
     */
    @Bean
    DispositionIntake dispositionIntake(DispositionsProperties properties, DispositionValidator validator,
            PhoneNormalizer phones) {
        List<String> problems = properties.problems();
        if (!problems.isEmpty()) {
            throw new IllegalStateException("The dispositions flow cannot start:\n  - "
                    + String.join("\n  - ", problems));
        }
        if (!properties.hasApiKeys()) {
            LOG.error("dialer.dispositions.api-keys (environment variable DIALER_API_KEYS) is not set: the"
                    + " dispositions intake refuses every request with 401; the dispositions topic is still published");
            return new DispositionIntake(null, validator, phones, properties.getMaxRequestBytes());
        }
        try {
            return new DispositionIntake(ApiKeyAuthenticator.fromCommaSeparated(properties.getApiKeys()), validator,
                    phones, properties.getMaxRequestBytes());
        } catch (IllegalArgumentException badKey) {
            // The message names the key by position only, never by content.
            throw new IllegalStateException("dialer.dispositions.api-keys (environment variable DIALER_API_KEYS): "
                    + badKey.getMessage(), badKey);
        }
    }

    @Bean
    DispositionValidator dispositionValidator(DispositionsProperties properties) {
        return new DispositionValidator(properties.getMaxBatchSize());
    }

    @Bean
    ProblemResponses dispositionProblems() {
        return new ProblemResponses();
    }

    @Bean
    PublishedCallRegistry publishedCallRegistry(DispositionsProperties properties) {
        return new PublishedCallRegistry(properties.getPublishedCalls().getMemory());
    }

    /**
     * Read before any route starts (created first when missing and the bridge may), so the publishing route never
     * sees a batch before it knows which calls are already in Salesforce.
     */
    @Bean(destroyMethod = "close")
    PublishedCallLog publishedCallLog(PublishedCallRegistry registry, DispositionsProperties properties,
            DialerTopics topics, KafkaClientSettings kafka, CompactedTables tables) {
        PublishedCallLog log = new PublishedCallLog(registry, properties.getPublishedCalls().getTopic());
        tables.register(log.definition(topics.getPartitions(), topics.getReplicationFactor(),
                properties.getPublishedCalls().getRetentionMs()), "published call ids",
                () -> log.start(kafka.consumer(), PUBLISHED_CALLS_LOAD_TIMEOUT));
        return log;
    }

    @Bean
    DispositionPublishing dispositionPublishing(DispositionValidator validator, PublishedCallRegistry registry,
            DispositionsProperties properties) {
        return new DispositionPublishing(validator, registry, properties.getRetry(), properties.getBatch().getSize(),
                Clock.systemUTC());
    }

    /**
     * The Pub/Sub publisher of {@code dialer.dispositions.transport=pubsub}; created with either transport (the route
     * names it in its Pub/Sub branch) and opens no connection until its first publish.
     */
    @Bean(destroyMethod = "close")
    PubSubDispositionPublisher pubSubDispositions(CamelContext camel) {
        return new PubSubDispositionPublisher(() -> PubSubDispositionPublisher.started(
                camel.getComponent("salesforce", SalesforceComponent.class)), PUBSUB_DEADLINE, Clock.systemUTC());
    }

    @Bean
    DispositionSuppressions dispositionSuppressions(DispositionValidator validator, PhoneNormalizer phones,
            @Value("${dialer.dispositions.suppress.group-id}") String groupId) {
        return new DispositionSuppressions(validator, phones, Clock.systemUTC(), groupId);
    }

    /** The body limit, on the intake's path only. */
    @Bean
    FilterRegistrationBean<RequestBodyLimitFilter> dispositionBodyLimit(DispositionsProperties properties) {
        FilterRegistrationBean<RequestBodyLimitFilter> registration =
                new FilterRegistrationBean<>(new RequestBodyLimitFilter(properties.getMaxRequestBytes()));
        registration.addUrlPatterns(properties.getPath());
        registration.setName("dispositionBodyLimit");
        return registration;
    }
}
