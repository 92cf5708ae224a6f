package io.dialerbridge.leadership;

import java.time.Duration;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.camel.support.cluster.AbstractCamelClusterService;

/**
 * A Camel cluster service whose leader election is Kafka's own group coordinator: the members of a namespace form one
 * consumer group on a topic with a single partition, and the member that partition is assigned to is the leader.
 * Nothing is written to the topic and no offset is committed; the assignment alone decides. A member that dies
 * leaves the group after the session timeout, one that stops leaves at once, and the coordinator then gives the
 * partition to a standby. A paused leader is not stopped by this: the writers' transactional ids fence it
 * (docs/operations.md, "High availability").
 */
public final class KafkaClusterService extends AbstractCamelClusterService<KafkaClusterView> {

    private final Supplier<Properties> consumerSettings;
    private final String topic;
    private final String groupIdPrefix;
    private final Duration sessionTimeout;
    private final Duration heartbeatInterval;
    private final Runnable beforeJoining;
    private final java.util.Map<String, KafkaClusterView> created = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param consumerSettings the Kafka client settings (brokers, security), asked for when a view starts
     * @param topic the single-partition topic whose assignment elects the leader
     * @param groupIdPrefix the consumer group of a namespace is {@code <prefix>-<namespace>}
     * @param sessionTimeout how long a silent member keeps leadership; bounds failover after a crash
     * @param beforeJoining run by a view before it joins the group (the start's state read); may block
     */
    public KafkaClusterService(String id, Supplier<Properties> consumerSettings, String topic, String groupIdPrefix,
            Duration sessionTimeout, Duration heartbeatInterval, Runnable beforeJoining) {
        super(id);
        this.consumerSettings = consumerSettings;
        this.topic = topic;
        this.groupIdPrefix = groupIdPrefix;
        this.sessionTimeout = sessionTimeout;
        this.heartbeatInterval = heartbeatInterval;
        this.beforeJoining = beforeJoining;
    }

    public String topic() {
        return topic;
    }

    /** Whether the namespace's election has had a round with this member in it, so {@link #isLeader} means it. */
    public boolean decided(String namespace) {
        KafkaClusterView view = created.get(namespace);
        return view != null && view.decided();
    }

    @Override
    protected KafkaClusterView createView(String namespace) {
        KafkaClusterView view = new KafkaClusterView(this, namespace, consumerSettings, topic,
                groupIdPrefix + "-" + namespace, sessionTimeout, heartbeatInterval, beforeJoining);
        created.put(namespace, view);
        return view;
    }
}
