package io.dialerbridge.suppression;

import io.dialerbridge.kafka.DialerTopics;
import io.dialerbridge.kafka.KafkaClientSettings;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Do Not Call guard, backed by the compacted suppression and person-numbers topics. */
@Configuration(proxyBeanMethods = false)
public class SuppressionConfiguration {

    @Bean
    SuppressionGuard suppressionGuard(KafkaClientSettings kafka, DialerTopics topics) {
        return new SuppressionGuard(() -> kafka.compactedTopic(topics.getSuppressions()),
                () -> kafka.compactedTopic(topics.getPersonNumbers()));
    }
}
