package io.dialerbridge.suppression;

import io.dialerbridge.kafka.DialerTopics;
import io.dialerbridge.kafka.KafkaClientSettings;
import io.dialerbridge.replay.CompactedTables;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Do Not Call guard, backed by the compacted suppression topic, which is read before any route starts. */
@Configuration(proxyBeanMethods = false)
public class SuppressionConfiguration {

    @Bean
    SuppressionGuard suppressionGuard(KafkaClientSettings kafka, DialerTopics topics, CompactedTables tables) {
        SuppressionGuard guard = new SuppressionGuard(() -> kafka.compactedTopic(topics.getSuppressions()));
        tables.register(topics.getSuppressions(), "Do Not Call suppressions", guard::load);
        return guard;
    }
}
