package io.dialerbridge.replay;

import io.dialerbridge.kafka.DialerTopics;
import io.dialerbridge.kafka.KafkaClientSettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The durable replay checkpoints, which the stream consumers find in the registry to know where to resume. */
@Configuration(proxyBeanMethods = false)
public class ReplayConfiguration {

    @Bean
    ReplayCheckpoints replayCheckpoints(KafkaClientSettings kafka, DialerTopics topics, MeterRegistry meters,
            CompactedTables tables, @Value("${dialer.replay.checkpoint-interval}") Duration writeInterval) {
        ReplayCheckpoints checkpoints = new ReplayCheckpoints(
                () -> kafka.compactedTopic(topics.getReplayCheckpoints()), Clock.systemUTC(), meters, writeInterval);
        tables.register(topics.getReplayCheckpoints(), "replay checkpoints", checkpoints::load);
        return checkpoints;
    }
}
