package io.dialerbridge.bench;

import io.dialerbridge.DialerBridgeApplication;
import io.dialerbridge.emulator.EmulatorSettings;
import io.dialerbridge.emulator.SalesforceEmulator;
import io.dialerbridge.emulator.data.RecordStore;
import io.dialerbridge.emulator.data.SObjectType;
import io.dialerbridge.emulator.streaming.StreamingEvent;
import io.dialerbridge.local.kafka.EmbeddedKafkaBroker;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
import org.apache.camel.component.salesforce.internal.streaming.CamelReplayState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The benchmark harness of docs/benchmarks.md: forward (bridge against a bare CometD-to-Kafka baseline), replay
 * catch-up, reverse (dispositions) and resources, printed as one table; run with {@code ./mvnw -Pbench verify}.
 */
public final class DialerBridgeBenchmark {

    private static final String USER = "005000000000001AAA";
    private static final String CHANNEL = "/data/ContactChangeEvent";
    private static final String DISPOSITIONS = "/event/Call_Disposition__e";
    private static final String COMMANDS = "dialer.contact-commands";
    private static final Duration STALL = Duration.ofSeconds(60);

    private final int events = Integer.getInteger("bench.events", 100_000);
    private final int records = Integer.getInteger("bench.records", 10_000);
    private final int dispositions = Integer.getInteger("bench.dispositions", 10_000);
    private final int perTransaction = Integer.getInteger("bench.per-transaction", 100);
    private final int steadySeconds = Integer.getInteger("bench.steady-seconds", 30);
    private final int steadyRate = Integer.getInteger("bench.steady-rate", 1_000);
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
        row("setup", "N events / contacts / M dispositions / per tx", events + " / " + records + " / " + dispositions
                + " / " + perTransaction, "");
        double baseline;
        try (SalesforceEmulator emulator = new SalesforceEmulator(EmulatorSettings.dialerOrg()).start();
             EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().port(0).start()) {
            List<String> contacts = createContacts(emulator);
            try (BaselineRelay relay = new BaselineRelay(broker.bootstrapServers(), "bench.baseline")) {
                relay.start(emulator.baseUrl(), CHANNEL, "bench.baseline");
                long[] range = generate(emulator, contacts, events, 0);
                baseline = measure("forward baseline (CometD + KafkaProducer)", emulator, broker, "bench.baseline",
                        range, record -> Long.parseLong(record.key()));
            }
        }
        try (SalesforceEmulator emulator = new SalesforceEmulator(EmulatorSettings.dialerOrg()).start();
             EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().port(0).start()) {
            List<String> contacts = createContacts(emulator);
            resources("before the bridge starts");
            try (ConfigurableApplicationContext bridge = startBridge(emulator, broker, "-1")) {
                awaitSubscribed(emulator);
                long[] range = generate(emulator, contacts, events, 0);
                double forward = measure("forward bridge (live, -1)", emulator, broker, COMMANDS, range,
                        DialerBridgeBenchmark::replayIdOfCommand);
                row("forward", "bridge / baseline", String.format("%.2f", forward / baseline), "goal >= 0.70");
                resources("after forward warm-up");
                if (steadySeconds > 0) {
                    long[] steady = generate(emulator, contacts, steadySeconds * steadyRate, steadyRate);
                    measure("forward bridge steady " + steadyRate + "/s", emulator, broker, COMMANDS, steady,
                            DialerBridgeBenchmark::replayIdOfCommand);
                }
            }
        }
        try (SalesforceEmulator emulator = new SalesforceEmulator(EmulatorSettings.dialerOrg()).start();
             EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().port(0).start()) {
            List<String> contacts = createContacts(emulator);
            generate(emulator, contacts, events, 0);
            long first = emulator.bus().eventsAfter(CHANNEL, 0, Integer.MAX_VALUE).get(0).replayId();
            long[] all = {first, emulator.bus().lastReplayId()};
            long start = System.currentTimeMillis();
            try (ConfigurableApplicationContext bridge = startBridge(emulator, broker, "-2")) {
                long startup = System.currentTimeMillis() - start;
                catchUp(broker, all, start, startup);
                reverse(emulator, broker, contacts);
                resources("end of run");
            }
        }
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

    /**
     * Commits {@code count} Contact updates, {@code perTransaction} distinct records with distinct values per
     * transaction (so no two merge into one event), as fast as possible or at {@code ratePerSecond}.
     *
     * @return the first and last replay id of the events these updates made
     */
    private long[] generate(SalesforceEmulator emulator, List<String> contacts, int count, int ratePerSecond)
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
        long tookMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
        row("generator", ratePerSecond > 0 ? "commits/s (paced)" : "commits/s (as fast as it can)",
                String.format("%.0f", count * 1000.0 / tookMs), count + " updates in " + tookMs + " ms");
        return new long[] {first, emulator.bus().lastReplayId()};
    }

    // ---- measurement ---------------------------------------------------------------------------------------------

    /** Reads the topic until every replay id in range arrived; latency = Kafka CreateTime − emulator commit. */
    private double measure(String name, SalesforceEmulator emulator, EmbeddedKafkaBroker broker, String topic,
            long[] range, Function<ConsumerRecord<String, String>, Long> replayIdOf) {
        Map<Long, Long> committedAt = new HashMap<>();
        for (StreamingEvent event : emulator.bus().eventsAfter(CHANNEL, range[0] - 1, Integer.MAX_VALUE)) {
            if (event.replayId() <= range[1]) {
                committedAt.put(event.replayId(), event.publishedAt().toEpochMilli());
            }
        }
        Map<Long, Long> ackedAt = readUntil(broker, topic, committedAt.size(), record -> {
            Long id = replayIdOf.apply(record);
            return id != null && committedAt.containsKey(id) ? id : null;
        });
        long[] latencies = ackedAt.entrySet().stream()
                .mapToLong(entry -> entry.getValue() - committedAt.get(entry.getKey())).sorted().toArray();
        long firstCommit = committedAt.values().stream().mapToLong(Long::longValue).min().orElse(0);
        long lastAck = ackedAt.values().stream().mapToLong(Long::longValue).max().orElse(firstCommit);
        double rate = ackedAt.size() * 1000.0 / Math.max(1, lastAck - firstCommit);
        row(name, "events/s (first commit → last ack)", String.format("%.0f", rate),
                ackedAt.size() + "/" + committedAt.size() + " events");
        row(name, "latency p50 / p95 / p99 / max ms", percentiles(latencies), "commit → Kafka CreateTime");
        return rate;
    }

    private void catchUp(EmbeddedKafkaBroker broker, long[] range, long start, long startup) {
        int expected = (int) (range[1] - range[0] + 1);
        Map<Long, Long> ackedAt = readUntil(broker, COMMANDS, expected, DialerBridgeBenchmark::replayIdOfCommand);
        long first = ackedAt.values().stream().mapToLong(Long::longValue).min().orElse(start);
        long last = ackedAt.values().stream().mapToLong(Long::longValue).max().orElse(start);
        row("replay catch-up (-2)", "events/s (first → last ack)",
                String.format("%.0f", ackedAt.size() * 1000.0 / Math.max(1, last - first)),
                ackedAt.size() + "/" + expected + " retained events; goal >= 10,000");
        row("replay catch-up (-2)", "events/s incl. bridge start",
                String.format("%.0f", ackedAt.size() * 1000.0 / Math.max(1, last - start)),
                "bridge start " + startup + " ms");
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
        if (header == null) {
            return null;
        }
        String id = new String(header.value(), StandardCharsets.UTF_8);
        if (!id.startsWith(CHANNEL + ":")) {
            return null;
        }
        int end = CHANNEL.length() + 1;
        while (end < id.length() && Character.isDigit(id.charAt(end))) {
            end++;
        }
        return end == CHANNEL.length() + 1 ? null : Long.parseLong(id.substring(CHANNEL.length() + 1, end));
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

    private static ConfigurableApplicationContext startBridge(SalesforceEmulator emulator, EmbeddedKafkaBroker broker,
            String initialReplayId) {
        CamelReplayState.reset(); // camel-salesforce's replay map is JVM-wide (docs/emulator.md)
        return new SpringApplicationBuilder(DialerBridgeApplication.class).run(
                "--server.port=0",
                "--camel.component.salesforce.login-url=" + emulator.baseUrl(),
                "--camel.component.salesforce.client-id=dialer-bridge-local",
                "--camel.component.salesforce.client-secret=local-secret",
                "--camel.component.salesforce.user-name=integration@dialer-bridge.local",
                "--camel.component.salesforce.password=local-password",
                "--camel.component.kafka.brokers=" + broker.bootstrapServers(),
                "--dialer.dispositions.api-keys=bench-api-key-000000001",
                "--dialer.replay.initial-replay-id=" + initialReplayId,
                "--dialer.streams.lead-pushtopic.enabled=false",
                "--dialer.streams.campaign-member-cdc.enabled=false",
                "--dialer.streams.dialer-control-generic.enabled=false",
                "--dialer.streams.dialer-command-events.enabled=false",
                "--logging.level.root=WARN");
    }

    /**
     * Waits until the bridge's subscription is registered: from then on the emulator delivers every event published,
     * since the subscription's position is fixed when it is registered.
     */
    private static void awaitSubscribed(SalesforceEmulator emulator) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> emulator.streaming().subscriberCount(CHANNEL) > 0);
    }

    private void resources(String when) throws Exception {
        var memory = ManagementFactory.getMemoryMXBean();
        long heapBefore = memory.getHeapMemoryUsage().getUsed();
        System.gc();
        long heapAfter = memory.getHeapMemoryUsage().getUsed();
        String rss = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(line -> line.startsWith("VmRSS")).map(line -> line.replaceAll("\\s+", " ")).findFirst()
                .orElse("n/a");
        long count = 0;
        long pause = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            pause += Math.max(0, gc.getCollectionTime());
        }
        row("resources " + when, "process RSS (whole JVM)", rss, "whole JVM: harness, emulator, broker (and bridge once started)");
        row("resources " + when, "heap used / after System.gc() MB",
                heapBefore / (1 << 20) + " / " + heapAfter / (1 << 20), "max " + memory.getHeapMemoryUsage().getMax()
                        / (1 << 20) + " MB");
        row("resources " + when, "GC count / total time ms (since JVM start)", count + " / " + pause, "");
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
