package io.dialerbridge.suppression;

import io.dialerbridge.kafka.DialerTopics;
import io.dialerbridge.kafka.KafkaClientSettings;
import io.dialerbridge.replay.CompactedTables;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Do Not Call guard, backed by the compacted suppression and person-numbers topics, read before any route starts. */
@Configuration(proxyBeanMethods = false)
public class SuppressionConfiguration {

    @Bean
    SuppressionGuard suppressionGuard(KafkaClientSettings kafka, DialerTopics topics, CompactedTables tables) {
        SuppressionGuard guard = new SuppressionGuard(() -> kafka.compactedTopic(topics.getSuppressions()),
                () -> kafka.compactedTopic(topics.getPersonNumbers()));
        // One load reads both topics; each is registered so the start checks it exists and is compacted.
        tables.register(topics.getSuppressions(), "Do Not Call suppressions", guard::load, guard::catchUp);
        tables.register(topics.getPersonNumbers(), "the numbers of each person", guard::load);
        return guard;
    }
}
