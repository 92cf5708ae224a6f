package io.dialerbridge.jms;

import io.dialerbridge.kafka.DialerTopics;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The beans of the JMS routes; always present (cheap), the routes themselves start only when JMS is on. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(JmsProperties.class)
public class JmsBridgeConfiguration {

    @Bean
    JmsEgress jmsEgress(DialerTopics topics, JmsProperties properties) {
        return JmsEgress.of(topics, properties.getEgress().getDestinations());
    }
}
