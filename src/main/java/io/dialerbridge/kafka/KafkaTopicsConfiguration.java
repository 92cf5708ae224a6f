package io.dialerbridge.kafka;

import io.dialerbridge.BeforeRoutesStart;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.CamelContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Creates the contract's topics when they are missing, before any route writes to them: the suppression and replay
 * checkpoint topics must be compacted, or the bridge's memory of DNC marks and replay positions would expire.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DialerTopics.class)
public class KafkaTopicsConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaTopicsConfiguration.class);

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

    /** Creates whatever of these topics does not exist yet, in one request; existing topics are left as they are. */
    public static void createMissing(Properties adminSettings, Collection<NewTopic> topics) {
        try (Admin admin = Admin.create(adminSettings)) {
            for (Map.Entry<String, KafkaFuture<Void>> created : admin.createTopics(topics).values().entrySet()) {
                try {
                    created.getValue().get(30, TimeUnit.SECONDS);
                    LOG.info("Created Kafka topic {}", created.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Could not create Kafka topic " + created.getKey(),
                                e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating Kafka topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + adminSettings.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)
                    + " did not answer within 30 s", e);
        }
    }

    @Bean
    KafkaClientSettings kafkaClientSettings(CamelContext camel) {
        return new KafkaClientSettings(camel);
    }

    @Bean
    OutboundRecords outboundRecords(DialerTopics topics, CamelContext camel) {
        return new OutboundRecords(topics, camel);
    }

    @Bean
    DeadLetters deadLetters() {
        return new DeadLetters();
    }

    /** Runs before Camel starts its routes, once the kafka component knows its brokers. */
    @Bean
    BeforeRoutesStart createContractTopics(CamelContext camel, DialerTopics topics, KafkaClientSettings kafka) {
        return BeforeRoutesStart.register(camel, context -> {
            if (topics.isCreate()) {
                createMissing(kafka.admin(), contractTopics(topics));
            }
        });
    }
}
