package io.dialerbridge.leadership;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.support.cluster.AbstractCamelClusterView;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One namespace of {@link KafkaClusterService}: a consumer on a thread of its own that stays in the namespace's group
 * and is the leader while the topic's partition is assigned to it. Leadership changes are announced on another
 * thread, one at a time and in order, so a listener may take its time (the bridge fences and reads its state before
 * the routes start) while the consumer goes on polling and heartbeating.
 *
 * <p>The assignor is cooperative-sticky: a member joining (a rolling update's new pod) does not take the partition
 * from the leader, and a rebalance that leaves it in place does not interrupt it.
 */
final class KafkaClusterView extends AbstractCamelClusterView {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaClusterView.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final Supplier<Properties> consumerSettings;
    private final String topic;
    private final String groupId;
    private final Duration sessionTimeout;
    private final Duration heartbeatInterval;
    private final Runnable beforeJoining;
    private final Member local = new Member(UUID.randomUUID().toString());
    private volatile boolean leader;
    /** Whether the group has assigned this member once (the partition or nothing): the election has spoken. */
    private volatile boolean decided;
    private volatile boolean running;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread poller;
    private ExecutorService announcer;

    KafkaClusterView(KafkaClusterService service, String namespace, Supplier<Properties> consumerSettings,
            String topic, String groupId, Duration sessionTimeout, Duration heartbeatInterval,
            Runnable beforeJoining) {
        super(service, namespace);
        this.consumerSettings = consumerSettings;
        this.topic = topic;
        this.groupId = groupId;
        this.sessionTimeout = sessionTimeout;
        this.heartbeatInterval = heartbeatInterval;
        this.beforeJoining = beforeJoining;
    }

    @Override
    public Optional<CamelClusterMember> getLeader() {
        return leader ? Optional.of(local) : Optional.empty();
    }

    @Override
    public CamelClusterMember getLocalMember() {
        return local;
    }

    /** Only this member: the others are not known without asking the coordinator, which nothing here needs. */
    @Override
    public List<CamelClusterMember> getMembers() {
        return List.of(local);
    }

    /** Whether this member has been in a completed election round (leader or not) since it joined. */
    boolean decided() {
        return decided;
    }

    /** The consumer group whose assignment elects this namespace's leader. */
    String groupId() {
        return groupId;
    }

    @Override
    protected void doStart() {
        running = true;
        decided = false;
        announcer = Executors.newSingleThreadExecutor(runnable -> daemon(runnable, "leadership-" + getNamespace()));
        poller = daemon(this::run, "leadership-poll-" + getNamespace());
        poller.start();
    }

    /** Leadership is given up first (the routes stop), then the consumer leaves the group, so a standby takes over. */
    @Override
    protected void doStop() throws InterruptedException {
        running = false;
        KafkaConsumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (poller != null) {
            poller.join(sessionTimeout.plusSeconds(30).toMillis());
        }
        announcer.shutdown();
        announcer.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS);
    }

    private void run() {
        try {
            beforeJoining.run();
        } catch (RuntimeException e) {
            LOG.error("Leadership of {}: not joining, the start failed: {}", getNamespace(), e.toString());
            return;
        }
        while (running) {
            try (KafkaConsumer<byte[], byte[]> member = new KafkaConsumer<>(settings())) {
                consumer = member;
                member.subscribe(List.of(topic), new Assignment());
                LOG.info("Joined the leadership group {} of {} on Kafka topic {}", groupId, getNamespace(), topic);
                while (running) {
                    member.poll(POLL);
                }
                // Closing the consumer leaves the group: the routes must have stopped before.
                lose("this bridge is stopping");
            } catch (WakeupException | InterruptException stopping) {
                lose("this bridge is stopping");
                return;
            } catch (RuntimeException e) {
                lose("its leadership consumer failed: " + e);
                LOG.warn("Leadership of {}: the group consumer failed; joining again in {} s: {}", getNamespace(),
                        RETRY.toSeconds(), e.toString());
                try {
                    Thread.sleep(RETRY.toMillis());
                } catch (InterruptedException interrupted) {
                    return;
                }
            } finally {
                consumer = null;
            }
        }
    }

    private Properties settings() {
        Properties settings = new Properties();
        settings.putAll(consumerSettings.get());
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        settings.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId + "-" + local.getId());
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        settings.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, String.valueOf(sessionTimeout.toMillis()));
        settings.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, String.valueOf(heartbeatInterval.toMillis()));
        settings.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return settings;
    }

    /** Called on the consumer's thread, inside poll. */
    private final class Assignment implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                take();
            }
            decided = true;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                lose("the group gave the partition of " + topic + " to another member");
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                lose("this member was out of the group longer than its session timeout ("
                        + sessionTimeout.toMillis() + " ms)");
            }
        }
    }

    private synchronized void take() {
        if (leader) {
            return;
        }
        leader = true;
        LOG.info("Leadership of {}: this bridge ({}) is the leader", getNamespace(), local.getId());
        announcer.execute(this::announce);
    }

    /** Stops being the leader and waits until the listeners know, so nothing led here runs when it returns. */
    private void lose(String why) {
        synchronized (this) {
            if (!leader) {
                return;
            }
            leader = false;
            LOG.warn("Leadership of {}: this bridge is a standby now: {}", getNamespace(), why);
        }
        try {
            announcer.submit(this::announce).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.RejectedExecutionException e) {
            LOG.warn("Leadership of {}: could not tell the listeners: {}", getNamespace(), e.toString());
        }
    }

    /** Tells the listeners the current state; they read it from {@link #getLocalMember()}. */
    private void announce() {
        try {
            fireLeadershipChangedEvent(getLeader().orElse(null));
        } catch (RuntimeException e) {
            LOG.error("Leadership of {}: a listener failed: {}", getNamespace(), e.toString(), e);
        }
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    private final class Member implements CamelClusterMember {
        private final String id;

        Member(String id) {
            this.id = id;
        }

        @Override
        public String getId() {
            return id;
        }

        @Override
        public boolean isLeader() {
            return leader;
        }

        @Override
        public boolean isLocal() {
            return true;
        }
    }
}
