package io.dialerbridge.kafka;

import io.dialerbridge.BeforeRoutesStart;
import io.dialerbridge.table.CompactedTables;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The bridge's Kafka client settings and topics.
 *
 * <p>It creates the contract's topics when they are missing and loads the compacted tables of its state
 * ({@link CompactedTables}), before any route writes to them or reads from Salesforce. The
 * suppression, campaign member and replay checkpoint topics must be compacted, or the bridge's memory of DNC marks,
 * members and replay positions would expire; the start refuses a topic that is not.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DialerTopics.class)
public class KafkaTopicsConfiguration {

    /** The topics of the contract with their cleanup policy. */
    public static List<NewTopic> contractTopics(DialerTopics topics) {
        Map<String, String> compacted = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        int partitions = topics.getPartitions();
        short replication = topics.getReplicationFactor();
        return List.of(
                new NewTopic(topics.getContactCommands(), partitions, replication),
                new NewTopic(topics.getCampaignControl(), partitions, replication),
                new NewTopic(topics.getSuppressions(), partitions, replication).configs(compacted),
                new NewTopic(topics.getDispositions(), partitions, replication),
                new NewTopic(topics.getDeadLetter(), partitions, replication),
                new NewTopic(topics.getReplayCheckpoints(), 1, replication).configs(compacted),
                new NewTopic(topics.getCampaignMembers(), partitions, replication).configs(compacted),
                new NewTopic(topics.getPersonNumbers(), partitions, replication).configs(compacted));
    }

    @Bean
    KafkaClientSettings kafkaClientSettings(CamelContext camel) {
        return new KafkaClientSettings(camel);
    }

    /** The compacted tables of the bridge's state; each table's configuration registers it. */
    @Bean
    CompactedTables compactedTables() {
        return new CompactedTables();
    }

    /**
     * State first: before Camel starts any route, once the kafka component knows its brokers, the contract's topics
     * are created when missing (if the bridge may), and every compacted table is checked and read.
     */
    @Bean
    BeforeRoutesStart prepareState(CamelContext camel, DialerTopics topics, KafkaClientSettings kafka,
            CompactedTables tables, @Value("${dialer.startup.state-timeout}") Duration patience) {
        return BeforeRoutesStart.register(camel, context -> tables.prepare(kafka.admin(), topics.isCreate(),
                topics.isCreate() ? contractTopics(topics) : List.of(), patience));
    }
}
