package io.dialerbridge.jms;

import io.dialerbridge.command.phone.PhoneNormalizer;
import io.dialerbridge.disposition.DispositionValidator;
import io.dialerbridge.disposition.QueuedDispositionIntake;
import io.dialerbridge.kafka.DialerTopics;
import java.time.Clock;
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

    @Bean
    QueuedDispositionIntake queuedDispositionIntake(DispositionValidator validator, PhoneNormalizer phones,
            DialerTopics topics) {
        return new QueuedDispositionIntake(validator, phones, topics.getDeadLetter(), Clock.systemUTC());
    }
}
