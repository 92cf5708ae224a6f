package io.dialerbridge.leadership;

import static org.assertj.core.api.Assertions.assertThat;

import io.dialerbridge.KafkaTopicReader;
import io.dialerbridge.local.kafka.EmbeddedKafkaBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two bridges' leadership in one JVM against a real broker: Kafka's group coordinator elects one; the standby takes
 * over when the leader stops, or when it pauses past its lease — and then the paused leader, resuming, writes nothing a
 * {@code read_committed} reader sees: the new leader's takeover fenced its transactional id, and its first write
 * after the pause makes it give leadership up, with its process still running.
 */
class KafkaLeadershipIT {

    private static final String ELECTION = "ha-test.leadership";
    private static final String OUT = "ha-test.out";
    private static final String WRITER_ID = "ha-test-writer";
    private static final Duration SESSION = Duration.ofSeconds(6);
    /** A failover after a crash or pause, with the default settings, is wanted within 15 s. */
    private static final Duration FAILOVER = Duration.ofSeconds(15);

    private EmbeddedKafkaBroker broker;
    private final List<Member> members = new ArrayList<>();

    @BeforeEach
    void startKafka() {
        broker = EmbeddedKafkaBroker.builder().port(0).start();
        broker.createTopics(List.of(new NewTopic(ELECTION, 1, (short) 1), new NewTopic(OUT, 1, (short) 1)));
    }

    @AfterEach
    void stopEverything() {
        for (Member member : members) {
            PausingInterceptor.resume(member.name);
            member.close();
        }
        broker.close();
    }

    @Test
    void oneOfTwoLeadsAndTheStandbyTakesOverWhenTheLeaderStops() throws Exception {
        Member a = start("a");
        Member b = start("b");
        Member leader = awaitOneLeader(a, b);
        Member standby = leader == a ? b : a;
        // The leader-only route started only once the takeover was complete.
        assertThat(leader.unready.get()).isZero();
        assertThat(standby.routeStatus("writer")).isEqualTo(ServiceStatus.Stopped);
        // Every replica runs what is not leader-only.
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> standby.intakeTicks.get() > 0);

        long stopped = System.nanoTime();
        leader.close();
        Awaitility.await().atMost(FAILOVER).until(() -> standby.leadership.isLeader()
                && standby.routeStatus("writer") == ServiceStatus.Started);
        System.out.printf("Failover after the leader stopped: %d ms%n", (System.nanoTime() - stopped) / 1_000_000);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> standby.writes.get() > 0);
        assertThat(standby.unready.get()).isZero();
    }

    @Test
    void aLeaderPausedPastItsSessionIsReplacedAndWritesNothingVisibleWhenItResumes() throws Exception {
        Member a = start("a");
        Member b = start("b");
        Member old = awaitOneLeader(a, b);
        Member successor = old == a ? b : a;
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> old.writes.get() > 0);

        // The old leader's election consumer stops polling, as a paused process would; its routes write on.
        PausingInterceptor.pause(old.name);
        try (KafkaProducer<String, String> nudge = producer(null)) {
            nudge.send(new ProducerRecord<>(ELECTION, "nudge", "")).get();
        }
        long paused = System.nanoTime();
        Awaitility.await().atMost(FAILOVER.plus(SESSION)).until(() -> successor.leadership.isLeader());
        System.out.printf("Failover after the leader paused: %d ms%n", (System.nanoTime() - paused) / 1_000_000);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> successor.writes.get() > 3);
        // Its next write found it fenced: it gave up leadership without being told by its (paused) election.
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> old.fenced.get() > 0 && !old.leadership.isLeader());

        PausingInterceptor.resume(old.name);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> old.routeStatus("writer") == ServiceStatus.Stopped);
        assertThat(old.camel.getStatus()).isEqualTo(ServiceStatus.Started);
        assertThat(successor.leadership.isLeader()).isTrue();

        try (KafkaTopicReader reader = new KafkaTopicReader(broker.bootstrapServers(), OUT)) {
            int successorWrites = successor.writes.get();
            List<ConsumerRecord<String, String>> seen = reader.awaitUntil(records -> records.stream()
                    .filter(record -> successor.name.equals(record.key())).count() >= successorWrites,
                    Duration.ofSeconds(30));
            long takeover = seen.stream().filter(record -> ("takeover-" + successor.name).equals(record.key()))
                    .mapToLong(ConsumerRecord::offset).max().orElseThrow();
            assertThat(seen).filteredOn(record -> record.offset() > takeover)
                    .noneMatch(record -> old.name.equals(record.key()));
            assertThat(seen).anyMatch(record -> old.name.equals(record.key()) && record.offset() < takeover);
        }
    }

    private Member awaitOneLeader(Member a, Member b) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> a.leadership.isLeader() ^ b.leadership.isLeader()
                && (a.leadership.isLeader() ? a : b).routeStatus("writer") == ServiceStatus.Started);
        return a.leadership.isLeader() ? a : b;
    }

    private Member start(String name) throws Exception {
        Member member = new Member(name);
        members.add(member);
        member.camel.start();
        return member;
    }

    private KafkaProducer<String, String> producer(String transactionalId) {
        Properties settings = new Properties();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        if (transactionalId != null) {
            settings.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        return new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer());
    }

    /** One bridge, cut down to its election, a leader-only writer of a stable transactional id, and an intake. */
    private final class Member {
        final String name;
        final CamelContext camel = new DefaultCamelContext();
        final KafkaClusterService service;
        final BridgeLeadership leadership;
        final AtomicReference<KafkaProducer<String, String>> writer = new AtomicReference<>();
        final AtomicInteger writes = new AtomicInteger();
        final AtomicInteger fenced = new AtomicInteger();
        final AtomicInteger intakeTicks = new AtomicInteger();
        final AtomicInteger unready = new AtomicInteger();

        Member(String name) throws Exception {
            this.name = name;
            service = new KafkaClusterService("kafka-leadership", this::consumerSettings, ELECTION, "ha-test",
                    SESSION, Duration.ofSeconds(2), () -> { });
            camel.addService(service, true, true);
            leadership = new BridgeLeadership(service, "ns", this::takeOver, Duration.ofSeconds(2),
                    new SimpleMeterRegistry());
            TakeoverFirstClusterService takeoverFirst = new TakeoverFirstClusterService(service, leadership);
            camel.addService(takeoverFirst, true, true);
            LeaderOnlyRoutes leaderOnly = new LeaderOnlyRoutes(Set.of("writer"), Duration.ofMillis(100), 2,
                    Duration.ofSeconds(1));
            leaderOnly.bindTo(camel);
            takeoverFirst.getView("ns").addEventListener(leaderOnly);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("timer:write?period=100").routeId("writer").process(exchange -> write());
                    from("timer:intake?period=100").routeId("intake").process(exchange -> intakeTicks.incrementAndGet());
                }
            });
        }

        private Properties consumerSettings() {
            Properties settings = new Properties();
            settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            settings.put(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG, PausingInterceptor.class.getName());
            settings.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, "3000");
            settings.put(PausingInterceptor.MEMBER, name);
            return settings;
        }

        /** What the bridge's takeover does to its channels: a new producer of the stable id fences the old. */
        private void takeOver() {
            KafkaProducer<String, String> producer = producer(WRITER_ID);
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(OUT, "takeover-" + name, ""));
            producer.commitTransaction();
            KafkaProducer<String, String> previous = writer.getAndSet(producer);
            if (previous != null) {
                previous.close(Duration.ZERO);
            }
        }

        private void write() {
            KafkaProducer<String, String> producer = writer.get();
            if (producer == null) {
                // Started before its takeover was complete, or kept running after it was fenced.
                unready.incrementAndGet();
                return;
            }
            try {
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(OUT, name, String.valueOf(writes.get())));
                producer.commitTransaction();
                writes.incrementAndGet();
            } catch (KafkaException e) {
                if (e instanceof ProducerFencedException || e instanceof InvalidProducerEpochException
                        || e.getCause() instanceof ProducerFencedException
                        || e.getCause() instanceof InvalidProducerEpochException) {
                    writer.compareAndSet(producer, null);
                    producer.close(Duration.ZERO);
                    fenced.incrementAndGet();
                    Thread relinquish = new Thread(() -> leadership.fenced("writer"));
                    relinquish.setDaemon(true);
                    relinquish.start();
                } else {
                    throw e;
                }
            }
        }

        ServiceStatus routeStatus(String routeId) {
            return camel.getRouteController().getRouteStatus(routeId);
        }

        void close() {
            try {
                camel.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            KafkaProducer<String, String> producer = writer.getAndSet(null);
            if (producer != null) {
                producer.close(Duration.ZERO);
            }
        }
    }

}
