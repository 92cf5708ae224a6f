package io.dialerbridge.kafka;

import io.dialerbridge.replay.ReplayCheckpoints;
import io.dialerbridge.suppression.SuppressionGuard;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The channels' transactional writers, with the Kafka client settings of the camel kafka component. */
@Configuration(proxyBeanMethods = false)
public class ChannelTransactionsConfiguration {

    @Bean
    ChannelTransactions channelTransactions(KafkaClientSettings kafka, DialerTopics topics, OutboundRecords outbound,
            SuppressionGuard guard, ReplayCheckpoints checkpoints, DeadLetters deadLetters, CamelContext camel,
            ObjectProvider<ChannelTransactions.ProducerFactory> producers,
            @Value("${dialer.kafka.transactional-id-prefix}") String prefix,
            @Value("${dialer.kafka.transaction.max-events}") int maxEvents,
            @Value("${dialer.kafka.transaction.max-open-ms}") long maxOpenMs,
            @Value("${dialer.kafka.retry-delay-ms}") long retryDelayMs,
            @Value("${dialer.kafka.linger-ms}") int lingerMs) {
        ChannelTransactions.Settings settings = new ChannelTransactions.Settings(prefix, maxEvents,
                Duration.ofMillis(maxOpenMs), Duration.ofMillis(retryDelayMs), Duration.ofSeconds(30), lingerMs);
        return new ChannelTransactions(kafka, topics, outbound, guard, checkpoints, deadLetters, camel, settings,
                producers.getIfAvailable(() -> KafkaProducer::new));
    }
}
