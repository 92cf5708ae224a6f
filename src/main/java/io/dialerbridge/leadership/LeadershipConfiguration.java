package io.dialerbridge.leadership;

import io.dialerbridge.BeforeRoutesStart;
import io.dialerbridge.forward.ChannelTransactions;
import io.dialerbridge.kafka.DialerTopics;
import io.dialerbridge.kafka.KafkaClientSettings;
import io.dialerbridge.table.CompactedTables;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.support.cluster.ClusterServiceHelper;
import org.apache.camel.support.cluster.ClusterServiceSelectors;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Leader election among the replicas of one deployment (docs/operations.md, "High availability"): the cluster
 * service ({@code dialer.leadership.mode}), the leader-only routes by id, and the takeover a new leader runs before
 * they start.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LeadershipProperties.class)
public class LeadershipConfiguration {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LeadershipConfiguration.class);

    /**
     * The cluster service of {@code kafka} mode, added to Camel so it starts and stops with it (after the routes
     * stop, so a standby takes over only once nothing is led here). Null in the other modes.
     */
    @Bean
    KafkaClusterServiceHolder kafkaClusterService(LeadershipProperties properties, CamelContext camel,
            KafkaClientSettings kafka, CompactedTables tables, DialerTopics topics,
            @Value("${dialer.kafka.transactional-id-prefix}") String prefix) throws Exception {
        if (properties.getMode() != LeadershipProperties.Mode.KAFKA) {
            return new KafkaClusterServiceHolder(null);
        }
        String topic = properties.getTopic();
        NewTopic definition = new NewTopic(topic, 1, topics.getReplicationFactor())
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        // Created and checked with the state topics; "loading" it checks that it has the one partition that elects.
        tables.register(definition, "leader election (nothing is written to it)",
                () -> checkSinglePartition(kafka, topic));
        KafkaClusterService service = new KafkaClusterService("kafka-leadership", kafka::consumer, topic,
                prefix + "-leadership", properties.getSessionTimeout(), properties.getHeartbeatInterval(),
                tables::awaitPrepared);
        camel.addService(service, true, true);
        return new KafkaClusterServiceHolder(service);
    }

    /** Wraps the optional service, which a bean method cannot return as null. */
    record KafkaClusterServiceHolder(KafkaClusterService service) {
    }

    @Bean
    BridgeLeadership bridgeLeadership(LeadershipProperties properties, KafkaClusterServiceHolder kafkaService,
            CamelContext camel, ChannelTransactions transactions, CompactedTables tables, Environment environment,
            MeterRegistry meters, @Value("${dialer.startup.state-timeout}") Duration patience) {
        CamelClusterService elector = switch (properties.getMode()) {
            case KAFKA -> kafkaService.service();
            case CLUSTER_SERVICE -> ClusterServiceHelper.lookupService(camel, ClusterServiceSelectors.DEFAULT_SELECTOR)
                    .orElseThrow(() -> new IllegalStateException("dialer.leadership.mode=cluster-service, but no"
                            + " CamelClusterService is configured (e.g. camel-kubernetes-starter with"
                            + " camel.cluster.kubernetes.enabled=true); see docs/operations.md"));
            case NONE -> null;
        };
        List<String> channels = io.dialerbridge.forward.ChannelTransactionsConfiguration.enabledStreamChannels(
                environment);
        BridgeLeadership leadership = new BridgeLeadership(elector, properties.getNamespace(), () -> {
            tables.awaitPrepared();
            transactions.takeOver(channels);
            tables.catchUp(patience);
        }, properties.getSessionTimeout().multipliedBy(2), meters);
        if (elector != null) {
            transactions.onFenced(leadership::fenced);
        }
        return leadership;
    }

    /**
     * The leader-only routes, by id, started and stopped on the takeover-first view, which says "leader" only once
     * the takeover is complete; none without an election. A failed start is tried again with the supervising route
     * controller's back-off ({@code camel.routecontroller.back-off-*}), which never takes these routes itself.
     */
    @Bean
    LeaderOnlyRoutes leaderOnlyRoutes(LeadershipProperties properties, BridgeLeadership leadership,
            KafkaClusterServiceHolder kafkaService, CamelContext camel,
            @Value("${camel.routecontroller.back-off-delay:1000}") long backOffDelay,
            @Value("${camel.routecontroller.back-off-multiplier:2}") double backOffMultiplier,
            @Value("${camel.routecontroller.back-off-max-delay:60000}") long backOffMaxDelay) throws Exception {
        if (!leadership.isElected()) {
            return new LeaderOnlyRoutes(java.util.Set.of(), Duration.ZERO, 1, Duration.ZERO);
        }
        CamelClusterService elector = kafkaService.service() != null ? kafkaService.service()
                : ClusterServiceHelper.lookupService(camel, ClusterServiceSelectors.DEFAULT_SELECTOR).orElseThrow();
        TakeoverFirstClusterService service = new TakeoverFirstClusterService(elector, leadership);
        camel.addService(service, true, true);
        LeaderOnlyRoutes routes = new LeaderOnlyRoutes(new LinkedHashSet<>(properties.getRoutes()),
                Duration.ofMillis(backOffDelay), backOffMultiplier,
                Duration.ofMillis(backOffMaxDelay > 0 ? backOffMaxDelay : Long.MAX_VALUE / 4));
        routes.bindTo(camel);
        // This bridge takes part in the election from its start, leader-only routes or none: a leader takes over
        // (fences, catches up) even before a route of its own needs it, and a standby says it is one.
        BeforeRoutesStart.register(camel, context -> {
            try {
                service.getView(properties.getNamespace()).addEventListener(routes);
            } catch (Exception e) {
                throw new IllegalStateException("Could not join the leader election", e);
            }
        });
        return routes;
    }

    @Bean
    LeadershipHealthIndicator leadershipHealthIndicator(BridgeLeadership leadership, LeadershipProperties properties) {
        return new LeadershipHealthIndicator(leadership, properties);
    }

    /** {@code dialer.leader{route}} per leader-only route switched on, once the routes exist. */
    @Bean
    ApplicationListener<ApplicationReadyEvent> leadershipMeters(BridgeLeadership leadership, LeaderOnlyRoutes routes,
            MeterRegistry meters) {
        return ready -> {
            java.util.Set<String> present = new LinkedHashSet<>();
            routes.routes().forEach(route -> present.add(route.getRouteId()));
            leadership.registerMeters(meters, present);
        };
    }

    /**
     * The start waits, at most {@code dialer.leadership.startup-wait}, for the election's first round and, on the
     * leader, for its leader-only routes to have started or failed a first start that is now retried: a bridge that
     * reports itself started is the leader at work (or retrying its streams) or a standby, not undecided.
     */
    @Bean
    org.springframework.boot.ApplicationRunner awaitFirstElection(BridgeLeadership leadership,
            KafkaClusterServiceHolder kafkaService, LeadershipProperties properties, LeaderOnlyRoutes routes) {
        return arguments -> {
            if (!leadership.isElected()) {
                return;
            }
            String namespace = properties.getNamespace();
            long deadline = System.nanoTime() + properties.getStartupWait().toNanos();
            while (System.nanoTime() < deadline) {
                KafkaClusterService kafka = kafkaService.service();
                boolean elected = kafka == null ? leadership.isLeader() : kafka.isLeader(namespace);
                if (kafka != null && kafka.decided(namespace) && !elected) {
                    LOG.info("Started as a standby of {}: another replica leads", namespace);
                    return;
                }
                // A stream whose first start failed (Salesforce answering 503) goes on trying; readiness says so.
                if (leadership.isLeader() && routes.firstStartsAttempted()) {
                    LOG.info("Started as the leader of {}", namespace);
                    return;
                }
                Thread.sleep(100);
            }
            LOG.warn("The election of {} has not settled within {} s of the start; going on (the leader-only routes"
                    + " start whenever this bridge takes leadership)", namespace,
                    properties.getStartupWait().toSeconds());
        };
    }

    private static void checkSinglePartition(KafkaClientSettings kafka, String topic) {
        java.util.Properties settings = kafka.consumer();
        settings.put("key.deserializer", ByteArrayDeserializer.class.getName());
        settings.put("value.deserializer", ByteArrayDeserializer.class.getName());
        settings.remove("group.id");
        settings.put("enable.auto.commit", "false");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings)) {
            int partitions = io.dialerbridge.table.KafkaCompactedTopic.partitions(consumer, topic,
                    System.nanoTime() + Duration.ofSeconds(30).toNanos()).size();
            if (partitions != 1) {
                throw new IllegalStateException("Kafka topic " + topic + " has " + partitions + " partitions, but"
                        + " leader election needs exactly 1 (each partition would elect a leader of its own). Delete"
                        + " it and let the bridge create it, or create it with 1 partition, or name another one with"
                        + " dialer.leadership.topic (DIALER_LEADERSHIP_TOPIC).");
            }
        }
    }
}
