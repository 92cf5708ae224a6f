package io.dialerbridge.suppression;

import io.dialerbridge.kafka.DialerTopics;
import io.dialerbridge.kafka.KafkaClientSettings;
import io.dialerbridge.replay.CompactedTables;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Do Not Call guard, backed by the compacted suppression and person-numbers topics, read before any route starts. */
@Configuration(proxyBeanMethods = false)
public class SuppressionConfiguration {

    @Bean
    SuppressionGuard suppressionGuard(KafkaClientSettings kafka, DialerTopics topics, CompactedTables tables,
            @Value("${dialer.kafka.rows-in-flight-limit-ms:180000}") long rowsInFlightLimitMs) {
        SuppressionGuard guard = new SuppressionGuard(() -> kafka.compactedTopic(topics.getSuppressions()),
                () -> kafka.compactedTopic(topics.getPersonNumbers()), Duration.ofMillis(rowsInFlightLimitMs));
        // One load reads both topics; each is registered so the start checks it exists and is compacted.
        tables.register(topics.getSuppressions(), "Do Not Call suppressions", guard::load);
        tables.register(topics.getPersonNumbers(), "the numbers of each person", guard::load);
        return guard;
    }
}
