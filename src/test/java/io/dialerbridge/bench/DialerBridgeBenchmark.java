package io.dialerbridge.bench;

import io.dialerbridge.ProductionArguments;
import io.dialerbridge.emulator.EmulatorSettings;
import io.dialerbridge.emulator.SalesforceEmulator;
import io.dialerbridge.emulator.data.RecordStore;
import io.dialerbridge.emulator.data.SObjectType;
import io.dialerbridge.emulator.streaming.StreamingEvent;
import io.dialerbridge.local.kafka.EmbeddedKafkaBroker;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;

/**
 * The benchmark harness of docs/benchmarks.md: forward (bridge against a bare CometD-to-Kafka baseline, and with the
 * JMS egress on), replay catch-up, reverse (dispositions) and resources, printed as one table; run with
 * {@code ./mvnw -Pbench verify}.
 */
public final class DialerBridgeBenchmark {

    private static final String USER = "005000000000001AAA";
    private static final String CHANNEL = "/data/ContactChangeEvent";
    private static final String DISPOSITIONS = "/event/Call_Disposition__e";
    private static final String COMMANDS = "dialer.contact-commands";
    private static final String BASELINE_TOPIC = "bench.baseline";
    /** The egress's default destination of the contact commands (dialer.jms.egress.destinations.contact-commands). */
    private static final String COMMANDS_QUEUE = "dialer.contact-commands";
    private static final Duration STALL = Duration.ofSeconds(60);

    private final int events = Integer.getInteger("bench.events", 100_000);
    private final int records = Integer.getInteger("bench.records", 10_000);
    private final int dispositions = Integer.getInteger("bench.dispositions", 10_000);
    private final int perTransaction = Integer.getInteger("bench.per-transaction", 100);
    private final int steadySeconds = Integer.getInteger("bench.steady-seconds", 30);
    private final int steadyRate = Integer.getInteger("bench.steady-rate", 1_000);
    private final int warmup = Integer.getInteger("bench.warmup", 20_000);
    private final boolean jms = Boolean.parseBoolean(System.getProperty("bench.jms", "true"));
    private final String bridgeJvm = System.getProperty("bench.bridge-jvm", "-Xmx256m -XX:+UseSerialGC");
    private final String baselineJvm = System.getProperty("bench.baseline-jvm", "-Xmx256m -XX:+UseSerialGC");
    private final Path jar = Path.of(System.getProperty("bench.jar", "target/dialer-bridge-0.1.0-SNAPSHOT.jar"));
    private final List<String[]> rows = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        long started = System.nanoTime();
        DialerBridgeBenchmark bench = new DialerBridgeBenchmark();
        int status = 0;
        try {
            bench.run();
        } catch (Exception | AssertionError e) {
            e.printStackTrace();
            status = 1;
        } finally {
            bench.print(Duration.ofNanos(System.nanoTime() - started));
        }
        System.exit(status); // Kafka and Jetty leave non-daemon threads behind
    }

    private void run() throws Exception {
        row("setup", "N events / contacts / M dispositions / per tx / warm-up", events + " / " + records + " / "
                + dispositions + " / " + perTransaction + " / " + warmup, "JVMs: bridge " + bridgeJvm + ", baseline "
                + baselineJvm);
        double baseline;
        double forward;
        try (SalesforceEmulator emulator = new SalesforceEmulator(EmulatorSettings.dialerOrg()).start();
             EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().port(0).start()) {
            List<String> contacts = createContacts(emulator);
            try (ChildJvm relay = startBaseline(emulator, broker, -1, "forward")) {
                warmUp(emulator, broker, contacts, BASELINE_TOPIC, DialerBridgeBenchmark::replayIdOfKey);
                long cpu = relay.cpuMillis();
                long[] range = generate(emulator, contacts, events, 0);
                baseline = measure("forward baseline (CometD + KafkaProducer)", emulator, broker, BASELINE_TOPIC,
                        range, DialerBridgeBenchmark::replayIdOfKey);
                cpu("forward baseline (CometD + KafkaProducer)", relay, cpu, events);
                long[] rss = relay.rssMb();
                row("resources baseline after forward burst", "baseline RSS now / peak MB", rss[0] + " / " + rss[1],
                        "for reference");
            }
        }
        try (SalesforceEmulator emulator = new SalesforceEmulator(EmulatorSettings.dialerOrg()).start();
             EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().port(0).start()) {
            List<String> contacts = createContacts(emulator);
            try (BridgeProcess bridge = startBridge(emulator, broker, "-1", "forward")) {
                resources(bridge, "bridge started");
                warmUp(emulator, broker, contacts, COMMANDS, DialerBridgeBenchmark::replayIdOfCommand);
                long cpu = bridge.jvm().cpuMillis();
                long[] range = generate(emulator, contacts, events, 0);
                forward = measure("forward bridge (live, -1)", emulator, broker, COMMANDS, range,
                        DialerBridgeBenchmark::replayIdOfCommand);
                cpu("forward bridge (live, -1)", bridge.jvm(), cpu, events);
                row("forward", "bridge / baseline", String.format("%.2f", forward / baseline), "goal >= 0.70");
                resources(bridge, "bridge after forward burst");
                if (steadySeconds > 0) {
                    cpu = bridge.jvm().cpuMillis();
                    long[] steady = generate(emulator, contacts, steadySeconds * steadyRate, steadyRate);
                    measure("forward bridge steady " + steadyRate + "/s", emulator, broker, COMMANDS, steady,
                            DialerBridgeBenchmark::replayIdOfCommand);
                    cpu("forward bridge steady " + steadyRate + "/s", bridge.jvm(), cpu, steadySeconds * steadyRate);
                }
            }
        }
        if (jms) {
            forwardWithJmsEgress(baseline, forward);
        }
        try (SalesforceEmulator emulator = new SalesforceEmulator(EmulatorSettings.dialerOrg()).start();
             EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().port(0).start()) {
            List<String> contacts = createContacts(emulator);
            generate(emulator, contacts, events, 0);
            long first = emulator.bus().eventsAfter(CHANNEL, 0, Integer.MAX_VALUE).get(0).replayId();
            long[] all = {first, emulator.bus().lastReplayId()};
            double baselineCatchUp;
            try (ChildJvm relay = startBaseline(emulator, broker, -2, "catch-up")) {
                long cpu = relay.cpuMillis();
                baselineCatchUp = catchUp("replay catch-up baseline (-2)", broker, BASELINE_TOPIC, all,
                        DialerBridgeBenchmark::replayIdOfKey);
                cpu("replay catch-up baseline (-2)", relay, cpu, (int) (all[1] - all[0] + 1));
            }
            try (BridgeProcess bridge = startBridge(emulator, broker, "-2", "catch-up")) {
                long cpu = bridge.jvm().cpuMillis();
                double bridgeCatchUp = catchUp("replay catch-up bridge (-2)", broker, COMMANDS, all,
                        DialerBridgeBenchmark::replayIdOfCommand);
                cpu("replay catch-up bridge (-2)", bridge.jvm(), cpu, (int) (all[1] - all[0] + 1));
                row("replay catch-up", "bridge / baseline", String.format("%.2f", bridgeCatchUp / baselineCatchUp),
                        "no generator running, both JVMs fresh");
                reverse(emulator, broker, contacts);
                resources(bridge, "bridge end of run");
            }
        }
    }

    /**
     * The forward burst again, through a bridge with the JMS egress on, to an Artemis broker in this JVM reached over
     * TCP; a JMS consumer here drains the contact commands' queue meanwhile, as a dialer on the ESB would.
     */
    private void forwardWithJmsEgress(double baseline, double forward) throws Exception {
        String name = "forward bridge + JMS egress";
        try (SalesforceEmulator emulator = new SalesforceEmulator(EmulatorSettings.dialerOrg()).start();
             EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().port(0).start();
             ArtemisBroker artemis = ArtemisBroker.start(Path.of("target", "bench", "artemis-" + UUID.randomUUID()));
             JmsQueueReader queue = new JmsQueueReader(artemis.url(), COMMANDS_QUEUE,
                     DialerBridgeBenchmark::replayIdOfMessage)) {
            List<String> contacts = createContacts(emulator);
            try (BridgeProcess bridge = startBridge(emulator, broker, "-1", "forward-jms", List.of(
                    "--dialer.jms.enabled=true",
                    "--dialer.jms.ingress.enabled=false",
                    "--spring.artemis.broker-url=" + artemis.url()))) {
                if (warmup > 0) {
                    long[] range = commit(emulator, contacts, warmup, 0);
                    awaitArrivals(queue, range);
                }
                long cpu = bridge.jvm().cpuMillis();
                long[] range = generate(emulator, contacts, events, 0);
                double kafka = measure(name + ", Kafka topic", emulator, broker, COMMANDS, range,
                        DialerBridgeBenchmark::replayIdOfCommand);
                Map<Long, Long> committedAt = committedAt(emulator, range);
                Map<Long, Long> arrivedAt = awaitArrivals(queue, range);
                long[] latencies = arrivedAt.entrySet().stream()
                        .mapToLong(entry -> entry.getValue() - committedAt.get(entry.getKey())).sorted().toArray();
                long firstCommit = committedAt.values().stream().mapToLong(Long::longValue).min().orElse(0);
                long lastArrival = arrivedAt.values().stream().mapToLong(Long::longValue).max().orElse(firstCommit);
                double rate = arrivedAt.size() * 1000.0 / Math.max(1, lastArrival - firstCommit);
                row(name + ", JMS queue", "events/s (first commit → last arrival on the queue)",
                        String.format("%.0f", rate), arrivedAt.size() + "/" + committedAt.size() + " events");
                row(name + ", JMS queue", "latency p50 / p95 / p99 / max ms", percentiles(latencies),
                        "commit → Artemis ingress timestamp");
                cpu(name, bridge.jvm(), cpu, events);
                row("forward + JMS egress", "JMS queue / bridge without JMS / baseline",
                        String.format("%.2f / %.2f", rate / forward, rate / baseline),
                        "Kafka topic / bridge without JMS: " + String.format("%.2f", kafka / forward));
                resources(bridge, "bridge with JMS egress after forward burst");
            }
        }
    }

    /**
     * Waits until the queue reader saw every replay id in range, or none new came for {@link #STALL}.
     *
     * @return the broker's arrival time of each replay id in range
     */
    private static Map<Long, Long> awaitArrivals(JmsQueueReader queue, long[] range) {
        long expected = range[1] - range[0] + 1;
        long[] progress = {System.nanoTime(), 0};
        Awaitility.await().atMost(Duration.ofHours(1)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    long seen = inRange(queue.arrivedAt(), range).size();
                    if (seen > progress[1]) {
                        progress[0] = System.nanoTime();
                        progress[1] = seen;
                    }
                    return seen >= expected || System.nanoTime() - progress[0] > STALL.toNanos();
                });
        return inRange(queue.arrivedAt(), range);
    }

    private static Map<Long, Long> inRange(Map<Long, Long> byId, long[] range) {
        Map<Long, Long> selected = new HashMap<>();
        byId.forEach((id, at) -> {
            if (id >= range[0] && id <= range[1]) {
                selected.put(id, at);
            }
        });
        return selected;
    }

    // ---- load ---------------------------------------------------------------------------------------------------

    private List<String> createContacts(SalesforceEmulator emulator) {
        List<String> ids = new ArrayList<>(records);
        for (int from = 0; from < records; from += perTransaction) {
            RecordStore.Transaction tx = emulator.records().begin(USER, "bench");
            for (int i = from; i < Math.min(records, from + perTransaction); i++) {
                ids.add(tx.create(SObjectType.CONTACT, Map.of("LastName", "Bench-" + i, "Phone",
                        String.format("+1415555%04d", i % 10_000))));
            }
            tx.commit();
        }
        return ids;
    }

    /** {@link #commit}s the updates and reports the generator's rate. */
    private long[] generate(SalesforceEmulator emulator, List<String> contacts, int count, int ratePerSecond)
            throws InterruptedException {
        long[] range = commit(emulator, contacts, count, ratePerSecond);
        long tookMs = Math.max(1, range[2]);
        row("generator", ratePerSecond > 0 ? "commits/s (paced)" : "commits/s (as fast as it can)",
                String.format("%.0f", count * 1000.0 / tookMs), count + " updates in " + tookMs + " ms");
        return range;
    }

    /**
     * Sends {@code warmup} events through a freshly started client and waits until they all reached the topic, so
     * that the measured phase runs on compiled code, not in the interpreter.
     */
    private void warmUp(SalesforceEmulator emulator, EmbeddedKafkaBroker broker, List<String> contacts, String topic,
            Function<ConsumerRecord<String, String>, Long> replayIdOf) throws InterruptedException {
        if (warmup > 0) {
            long[] range = commit(emulator, contacts, warmup, 0);
            readUntil(broker, topic, warmup, record -> {
                Long id = replayIdOf.apply(record);
                return id != null && id >= range[0] && id <= range[1] ? id : null;
            });
        }
    }

    /**
     * Commits {@code count} Contact updates, {@code perTransaction} distinct records with distinct values per
     * transaction (so no two merge into one event), as fast as possible or at {@code ratePerSecond}.
     *
     * @return the first and last replay id of the events the updates made, and how long committing took (ms)
     */
    private long[] commit(SalesforceEmulator emulator, List<String> contacts, int count, int ratePerSecond)
            throws InterruptedException {
        long first = emulator.bus().lastReplayId() + 1;
        long begin = System.nanoTime();
        int batch = ratePerSecond > 0 ? Math.max(1, ratePerSecond / 100) : perTransaction;
        for (int done = 0; done < count; done += batch) {
            if (ratePerSecond > 0) {
                long due = begin + TimeUnit.SECONDS.toNanos(done) / ratePerSecond;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
            RecordStore.Transaction tx = emulator.records().begin(USER, "bench");
            for (int i = done; i < Math.min(count, done + batch); i++) {
                tx.update(SObjectType.CONTACT, contacts.get(i % contacts.size()),
                        Map.of("LastName", "Bench-" + UUID.randomUUID()));
            }
            tx.commit();
        }
        return new long[] {first, emulator.bus().lastReplayId(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin)};
    }

    // ---- measurement ---------------------------------------------------------------------------------------------

    /**
     * Reads the topic until every replay id in range arrived; latency = the broker's append time (the topics use
     * LogAppendTime: the moment the broker wrote the record, just before it acknowledges it) − the emulator's commit.
     */
    private double measure(String name, SalesforceEmulator emulator, EmbeddedKafkaBroker broker, String topic,
            long[] range, Function<ConsumerRecord<String, String>, Long> replayIdOf) {
        Map<Long, Long> committedAt = committedAt(emulator, range);
        Map<Long, Long> ackedAt = readUntil(broker, topic, committedAt.size(), record -> {
            Long id = replayIdOf.apply(record);
            return id != null && committedAt.containsKey(id) ? id : null;
        });
        long[] latencies = ackedAt.entrySet().stream()
                .mapToLong(entry -> entry.getValue() - committedAt.get(entry.getKey())).sorted().toArray();
        long firstCommit = committedAt.values().stream().mapToLong(Long::longValue).min().orElse(0);
        long lastAck = ackedAt.values().stream().mapToLong(Long::longValue).max().orElse(firstCommit);
        double rate = ackedAt.size() * 1000.0 / Math.max(1, lastAck - firstCommit);
        row(name, "events/s (first commit → last append)", String.format("%.0f", rate),
                ackedAt.size() + "/" + committedAt.size() + " events");
        row(name, "latency p50 / p95 / p99 / max ms", percentiles(latencies), "commit → broker append");
        return rate;
    }

    /** The emulator's commit instant (epoch ms) of each event in the replay id range. */
    private static Map<Long, Long> committedAt(SalesforceEmulator emulator, long[] range) {
        Map<Long, Long> committedAt = new HashMap<>();
        for (StreamingEvent event : emulator.bus().eventsAfter(CHANNEL, range[0] - 1, Integer.MAX_VALUE)) {
            if (event.replayId() <= range[1]) {
                committedAt.put(event.replayId(), event.publishedAt().toEpochMilli());
            }
        }
        return committedAt;
    }

    /** A client JVM's CPU time (user + system) per 1,000 events since {@code cpuBefore}: its cost, whatever the rate. */
    private void cpu(String name, ChildJvm client, long cpuBefore, int count) throws IOException {
        row(name, "client CPU ms per 1,000 events", String.format("%.0f", (client.cpuMillis() - cpuBefore) * 1000.0
                / count), "user + system time of its JVM");
    }

    /** Reads the topic until every retained event arrived; the rate is from the first to the last append. */
    private double catchUp(String name, EmbeddedKafkaBroker broker, String topic, long[] range,
            Function<ConsumerRecord<String, String>, Long> replayIdOf) {
        int expected = (int) (range[1] - range[0] + 1);
        Map<Long, Long> ackedAt = readUntil(broker, topic, expected, replayIdOf);
        long first = ackedAt.values().stream().mapToLong(Long::longValue).min().orElse(0);
        long last = ackedAt.values().stream().mapToLong(Long::longValue).max().orElse(first);
        double rate = ackedAt.size() * 1000.0 / Math.max(1, last - first);
        row(name, "events/s (first → last append)", String.format("%.0f", rate),
                ackedAt.size() + "/" + expected + " retained events (creates and updates)"
                        + (topic.equals(COMMANDS) ? "; goal >= 10,000" : ""));
        return rate;
    }

    private void reverse(SalesforceEmulator emulator, EmbeddedKafkaBroker broker, List<String> contacts)
            throws Exception {
        emulator.traffic().resetCalls();
        long before = emulator.bus().lastReplayId();
        Map<String, Long> sentAt = new HashMap<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            for (int i = 0; i < dispositions; i++) {
                String callId = "bench-" + i;
                String person = contacts.get(i % contacts.size());
                String value = """
                        {"callId":"%s","recordId":"%s","disposition":"INTERESTED","phone":"+14155550134",\
                        "agentId":"agent-42","startedAt":"2026-11-27T15:04:05Z","endedAt":"2026-11-27T15:06:10Z",\
                        "durationSeconds":125}""".formatted(callId, person);
                ProducerRecord<String, String> record = new ProducerRecord<>("dialer.dispositions", person, value);
                record.headers().add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
                sentAt.put(callId, System.currentTimeMillis());
                producer.send(record);
            }
            producer.flush();
        }
        Map<String, Long> receivedAt = new HashMap<>();
        long[] progress = {System.nanoTime()};
        // Poll the emulator until every disposition arrived, or none arrived for STALL (partial results are reported).
        Awaitility.await().atMost(Duration.ofHours(1)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    int had = receivedAt.size();
                    for (StreamingEvent event : emulator.bus().eventsAfter(DISPOSITIONS, before, Integer.MAX_VALUE)) {
                        @SuppressWarnings("unchecked")
                        Object callId = ((Map<String, Object>) event.data().get("payload")).get("Call_Id__c");
                        if (callId != null && sentAt.containsKey(callId)) {
                            receivedAt.putIfAbsent((String) callId, event.publishedAt().toEpochMilli());
                        }
                    }
                    if (receivedAt.size() > had) {
                        progress[0] = System.nanoTime();
                    }
                    return receivedAt.size() >= dispositions || System.nanoTime() - progress[0] > STALL.toNanos();
                });
        long[] latencies = receivedAt.entrySet().stream()
                .mapToLong(entry -> entry.getValue() - sentAt.get(entry.getKey())).sorted().toArray();
        long first = sentAt.values().stream().mapToLong(Long::longValue).min().orElse(0);
        long last = receivedAt.values().stream().mapToLong(Long::longValue).max().orElse(first);
        row("reverse (dispositions)", "dispositions/s (first send → last receipt)",
                String.format("%.0f", receivedAt.size() * 1000.0 / Math.max(1, last - first)),
                receivedAt.size() + "/" + dispositions + "; goal >= 2,000");
        row("reverse (dispositions)", "latency p50 / p95 / p99 / max ms", percentiles(latencies),
                "produce → emulator publishedAt");
        Map<String, Long> calls = emulator.traffic().calls();
        long total = calls.values().stream().mapToLong(Long::longValue).sum();
        row("reverse (dispositions)", "Salesforce API calls per 1,000",
                String.format("%.1f", total * 1000.0 / Math.max(1, receivedAt.size())), "goal <= 6; " + calls);
    }

    /** Consumes a topic from the beginning until {@code expected} distinct ids arrived or nothing came for a while. */
    private static Map<Long, Long> readUntil(EmbeddedKafkaBroker broker, String topic, int expected,
            Function<ConsumerRecord<String, String>, Long> idOf) {
        Map<Long, Long> firstSeen = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            consumer.subscribe(List.of(topic));
            long progress = System.nanoTime();
            while (firstSeen.size() < expected && System.nanoTime() - progress < STALL.toNanos()) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    Long id = idOf.apply(record);
                    if (id != null) {
                        firstSeen.merge(id, record.timestamp(), Math::min);
                        progress = System.nanoTime();
                    }
                }
            }
        }
        return firstSeen;
    }

    /** The replay id in a command's ce_id ({@code /data/ContactChangeEvent:<replayId>[suffix]}). */
    private static Long replayIdOfCommand(ConsumerRecord<String, String> record) {
        var header = record.headers().lastHeader("ce_id");
        return header == null ? null : replayIdOfCeId(new String(header.value(), StandardCharsets.UTF_8));
    }

    /** The replay id in a JMS message's cloudEvents_id, the command's ce_id (README "Plugging into an ESB"). */
    private static Long replayIdOfMessage(Message message) {
        try {
            String id = message.getStringProperty("cloudEvents_id");
            return id == null ? null : replayIdOfCeId(id);
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Long replayIdOfCeId(String id) {
        if (!id.startsWith(CHANNEL + ":")) {
            return null;
        }
        int end = CHANNEL.length() + 1;
        while (end < id.length() && Character.isDigit(id.charAt(end))) {
            end++;
        }
        return end == CHANNEL.length() + 1 ? null : Long.parseLong(id.substring(CHANNEL.length() + 1, end));
    }

    /** The baseline keys each record by the event's replay id. */
    private static Long replayIdOfKey(ConsumerRecord<String, String> record) {
        return Long.parseLong(record.key());
    }

    private static String percentiles(long[] sorted) {
        if (sorted.length == 0) {
            return "n/a";
        }
        return pick(sorted, 0.50) + " / " + pick(sorted, 0.95) + " / " + pick(sorted, 0.99) + " / "
                + sorted[sorted.length - 1];
    }

    private static long pick(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)];
    }

    // ---- the bridge and resources --------------------------------------------------------------------------------

    /** The baseline relay in its own JVM, subscribed to the channel after {@code replayFrom}. */
    private ChildJvm startBaseline(SalesforceEmulator emulator, EmbeddedKafkaBroker broker, long replayFrom,
            String phase) throws Exception {
        createTopic(broker, BASELINE_TOPIC);
        ChildJvm relay = ChildJvm.start(baselineJvm, List.of("-cp", System.getProperty("java.class.path"),
                        BaselineRelay.class.getName(), emulator.baseUrl(), CHANNEL, String.valueOf(replayFrom),
                        broker.bootstrapServers(), BASELINE_TOPIC),
                Path.of("target", "bench", "baseline-" + phase + ".log"));
        try {
            awaitSubscribed(emulator, relay);
        } catch (RuntimeException e) {
            relay.close();
            throw e;
        }
        return relay;
    }

    /** The packaged bridge in its own JVM, production mode, only {@code contact-cdc} enabled. */
    private BridgeProcess startBridge(SalesforceEmulator emulator, EmbeddedKafkaBroker broker, String initialReplayId,
            String phase) throws Exception {
        return startBridge(emulator, broker, initialReplayId, phase, List.of());
    }

    /** The same, with {@code more} arguments (settings) after the benchmark's own. */
    private BridgeProcess startBridge(SalesforceEmulator emulator, EmbeddedKafkaBroker broker, String initialReplayId,
            String phase, List<String> more) throws Exception {
        createTopic(broker, COMMANDS);
        // {phase} in the JVM options names per-phase files, e.g. -XX:StartFlightRecording=filename=bridge-{phase}.jfr
        List<String> arguments = new ArrayList<>(
                ProductionArguments.against(emulator, broker, "bench-api-key-000000001"));
        arguments.addAll(List.of(
                "--dialer.replay.initial-replay-id=" + initialReplayId,
                "--dialer.streams.lead-pushtopic.enabled=false",
                "--dialer.streams.campaign-member-cdc.enabled=false",
                "--dialer.streams.dialer-control-generic.enabled=false",
                "--dialer.streams.dialer-command-events.enabled=false",
                "--logging.level.root=WARN"));
        arguments.addAll(more);
        BridgeProcess bridge = BridgeProcess.start(jar, bridgeJvm.replace("{phase}", phase),
                Path.of("target", "bench", "bridge-" + phase + ".log"), arguments);
        try {
            awaitSubscribed(emulator, bridge.jvm());
        } catch (RuntimeException e) {
            bridge.close();
            throw e;
        }
        return bridge;
    }

    /**
     * Creates an output topic as the bridge would (3 partitions), but with the broker's append time as the records'
     * timestamp, so latencies end when the broker wrote the record rather than when the producer stamped it.
     */
    private static void createTopic(EmbeddedKafkaBroker broker, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1).configs(Map.of(
                    TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime")))).all().get();
        }
    }

    /**
     * Waits until the bridge's subscription is registered: from then on the emulator delivers every event published,
     * since the subscription's position is fixed when it is registered.
     */
    private static void awaitSubscribed(SalesforceEmulator emulator, ChildJvm client) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            client.checkAlive();
            return emulator.streaming().subscriberCount(CHANNEL) > 0;
        });
    }

    /** The bridge process's own footprint: RSS (now and peak), heap before and after a full GC, GC pauses. */
    private void resources(BridgeProcess bridge, String when) throws Exception {
        long[] rss = bridge.jvm().rssMb();
        BridgeProcess.Prometheus before = bridge.prometheus();
        bridge.jvm().collectGarbage();
        BridgeProcess.Prometheus after = bridge.prometheus();
        row("resources " + when, "bridge RSS now / peak MB", rss[0] + " / " + rss[1],
                "VmRSS / VmHWM of the bridge's JVM; goal <= 512");
        row("resources " + when, "bridge heap used / after full GC MB",
                before.heapUsedBytes() / (1 << 20) + " / " + after.heapUsedBytes() / (1 << 20), "");
        row("resources " + when, "bridge GC pauses / total pause ms", before.gcPauses() + " / "
                + String.format("%.0f", before.gcPauseSeconds() * 1000), "since its start; " + before.collectors());
    }

    // ---- output ---------------------------------------------------------------------------------------------------

    private void row(String phase, String metric, String value, String note) {
        rows.add(new String[] {phase, metric, value, note});
        System.out.printf("[bench] %s | %s | %s | %s%n", phase, metric, value, note);
    }

    private void print(Duration took) {
        StringBuilder table = new StringBuilder("\n| phase | metric | value | note |\n| --- | --- | --- | --- |\n");
        for (String[] row : rows) {
            table.append("| ").append(String.join(" | ", Arrays.asList(row))).append(" |\n");
        }
        table.append("\nrun took ").append(took.toSeconds()).append(" s\n");
        System.out.println(table);
    }
}
