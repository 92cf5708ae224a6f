package io.dialerbridge.replay;

import io.dialerbridge.kafka.DialerTopics;
import io.dialerbridge.kafka.KafkaClientSettings;
import io.dialerbridge.table.CompactedTables;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The durable replay checkpoints, read at start; the channels' transactions write them. */
@Configuration(proxyBeanMethods = false)
public class ReplayConfiguration {

    @Bean
    ReplayCheckpoints replayCheckpoints(KafkaClientSettings kafka, DialerTopics topics, MeterRegistry meters,
            CompactedTables tables) {
        ReplayCheckpoints checkpoints = new ReplayCheckpoints(
                () -> kafka.compactedTopic(topics.getReplayCheckpoints()), Clock.systemUTC(), meters);
        tables.register(topics.getReplayCheckpoints(), "replay checkpoints", checkpoints::load, checkpoints::catchUp);
        return checkpoints;
    }
}
