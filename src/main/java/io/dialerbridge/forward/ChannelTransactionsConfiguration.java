package io.dialerbridge.forward;

import io.dialerbridge.kafka.DialerTopics;
import io.dialerbridge.kafka.KafkaClientSettings;
import io.dialerbridge.replay.ReplayCheckpoints;
import io.dialerbridge.salesforce.stream.StreamKind;
import io.dialerbridge.suppression.SuppressionGuard;
import io.dialerbridge.table.CompactedTables;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The forward flow's Kafka side: the channels' transactional writers, their records and their dead letters. */
@Configuration(proxyBeanMethods = false)
public class ChannelTransactionsConfiguration {

    @Bean
    OutboundRecords outboundRecords(DialerTopics topics) {
        return new OutboundRecords(topics);
    }

    @Bean
    EventDeadLetters deadLetters() {
        return new EventDeadLetters();
    }

    @Bean
    ChannelTransactions channelTransactions(KafkaClientSettings kafka, DialerTopics topics, OutboundRecords outbound,
            SuppressionGuard guard, ReplayCheckpoints checkpoints, EventDeadLetters deadLetters, CamelContext camel,
            ObjectProvider<ChannelTransactions.ProducerFactory> producers, CompactedTables tables,
            Environment environment,
            @Value("${dialer.kafka.transactional-id-prefix}") String prefix,
            @Value("${dialer.kafka.transaction.max-events}") int maxEvents,
            @Value("${dialer.kafka.transaction.max-open-ms}") long maxOpenMs,
            @Value("${dialer.kafka.retry-delay-ms}") long retryDelayMs,
            @Value("${dialer.kafka.linger-ms}") int lingerMs,
            @Value("${dialer.instance-id:}") String instanceId,
            @Value("${dialer.leadership.mode:kafka}") String leadershipMode) {
        boolean elected = !"none".equalsIgnoreCase(leadershipMode.strip());
        // With an election only the leader writes the DO_NOT_CALL suppressions: one transactional id for them all.
        ChannelTransactions.Settings settings = new ChannelTransactions.Settings(prefix, maxEvents,
                Duration.ofMillis(maxOpenMs), Duration.ofMillis(retryDelayMs), Duration.ofSeconds(30), lingerMs,
                elected ? null : instanceId.isBlank() ? hostName() : instanceId.strip());
        ChannelTransactions transactions = new ChannelTransactions(kafka, topics, outbound, guard, checkpoints,
                deadLetters, camel, settings, producers.getIfAvailable(() -> KafkaProducer::new));
        if (!elected) {
            List<String> channels = enabledStreamChannels(environment);
            tables.beforeLoading("initialise the transactions of " + channels + " and "
                    + ChannelTransactions.DISPOSITIONS, () -> transactions.initialise(channels));
        }
        // With an election a standby must not fence the leader: the transactions are initialised when this bridge
        // takes leadership over (BridgeLeadership), and the tables caught up after that, before any route starts.
        return transactions;
    }

    /**
     * The Salesforce channel of every enabled stream route, from its settings ({@code dialer.streams.<route>.channel},
     * or {@code .topic} for a PushTopic), spelled as the stream consumer names it: the routes have not started when
     * the state is loaded, so their endpoints cannot be asked.
     */
    public static List<String> enabledStreamChannels(Environment environment) {
        Map<String, StreamSetting> streams = Binder.get(environment)
                .bind("dialer.streams", Bindable.mapOf(String.class, StreamSetting.class)).orElse(Map.of());
        List<String> channels = new ArrayList<>();
        streams.forEach((route, stream) -> {
            String channel = stream.channel() != null ? stream.channel() : stream.topic();
            if (Boolean.TRUE.equals(stream.enabled()) && channel != null && !channel.isBlank()) {
                channels.add(StreamKind.channelOf(channel.strip()));
            }
        });
        return channels;
    }

    /** This machine's host name: a pod's name, stable across restarts in a StatefulSet. */
    private static String hostName() {
        String fromEnvironment = System.getenv("HOSTNAME");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment.strip();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** What of a stream route's settings names its channel; the others are the route's own. */
    record StreamSetting(Boolean enabled, String channel, String topic) {
    }
}
