package io.dialerbridge.leadership;

import static org.assertj.core.api.Assertions.assertThat;

import io.dialerbridge.KafkaTopicReader;
import io.dialerbridge.ProductionArguments;
import io.dialerbridge.emulator.EmulatorSettings;
import io.dialerbridge.emulator.SalesforceEmulator;
import io.dialerbridge.emulator.data.RecordStore;
import io.dialerbridge.emulator.data.SObjectType;
import io.dialerbridge.local.kafka.EmbeddedKafkaBroker;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two bridge processes (the packaged jar in production mode) under traffic that includes Do Not Call marks and
 * DO_NOT_CALL dispositions posted to either replica, through a pause of the leader past its lease (SIGSTOP, then
 * SIGCONT) and a rolling restart of both. Asserted, as a dialer reading {@code read_committed} sees it: no change is
 * lost (the dialer's view folded from the commands equals Salesforce's records), no command is read twice, no
 * command makes a suppressed person callable, and Salesforce never has two subscribers on the stream while both
 * processes run (the paused leader keeps its session until it resumes and steps down).
 *
 * <p>The traffic is drawn from a seed, printed at the start; {@code -Dreplica.chaos.seed=N} replays its choices (the
 * interleaving with the processes' timing is the machine's).
 */
class ReplicaChaosIT {

    private static final long SEED = Long.getLong("replica.chaos.seed", System.nanoTime());
    private static final String API_KEY = "replica-chaos-api-key-0001";
    private static final String TOKEN = "replica-chaos-operator-token";
    private static final String USER = "005000000000001AAA";
    private static final String CONTACTS = "/data/ContactChangeEvent";
    private static final int PEOPLE = 24;
    private static final Duration FAILOVER = Duration.ofSeconds(15);
    private static final Duration PAUSE = Duration.ofSeconds(12);
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    private SalesforceEmulator emulator;
    private EmbeddedKafkaBroker broker;
    private final List<Bridge> bridges = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private ScheduledExecutorService traffic;

    /** One bridge process, its HTTP port and log; {@code paused} while it is SIGSTOPped. */
    private record Bridge(String name, Process process, int port, Path log, AtomicBoolean paused) {
        boolean running() {
            return process.isAlive() && !paused.get();
        }
    }

    @BeforeEach
    void startSalesforceAndKafka() throws Exception {
        emulator = new SalesforceEmulator(EmulatorSettings.dialerOrg()).start();
        broker = EmbeddedKafkaBroker.builder().port(0).start();
    }

    @AfterEach
    void stopEverything() throws Exception {
        if (traffic != null) {
            traffic.shutdownNow();
            traffic.awaitTermination(10, TimeUnit.SECONDS);
        }
        for (Bridge bridge : bridges) {
            if (bridge.paused().get()) {
                signal(bridge, "CONT");
            }
            bridge.process().destroy();
            if (!bridge.process().waitFor(60, TimeUnit.SECONDS)) {
                bridge.process().destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
        broker.close();
        emulator.close();
    }

    @Test
    void throughAPausedLeaderAndARollingRestartNothingIsLostOrTwiceAndNoSuppressedPersonBecomesCallable()
            throws Exception {
        System.out.printf("ReplicaChaosIT: seed %d (replay: -Dreplica.chaos.seed=%d)%n", SEED, SEED);
        Bridge a = start("a");
        Bridge b = start("b");
        Bridge leader = awaitOneLeader(a, b);

        Traffic people = new Traffic(new SplittableRandom(SEED));
        SubscriberWatch watch = new SubscriberWatch();
        try (KafkaTopicReader commands = new KafkaTopicReader(broker.bootstrapServers(), "dialer.contact-commands")) {
            people.createAll();
            traffic = Executors.newScheduledThreadPool(2);
            traffic.scheduleAtFixedRate(people::step, 0, 40, TimeUnit.MILLISECONDS);
            traffic.scheduleAtFixedRate(watch::sample, 0, 50, TimeUnit.MILLISECONDS);
            awaitMoreCommands(commands, 60);

            // The leader pauses past its lease: the standby takes over; the old leader resumes, fenced, and stands by.
            Bridge standby = leader == a ? b : a;
            watch.excuse(true);
            signal(leader, "STOP");
            long stopped = System.nanoTime();
            Awaitility.await().atMost(FAILOVER).pollInterval(Duration.ofMillis(200)).until(() -> leads(standby));
            System.out.printf("ReplicaChaosIT: the standby led %d ms after the leader was paused%n",
                    (System.nanoTime() - stopped) / 1_000_000);
            awaitMoreCommands(commands, 40);
            long slept = PAUSE.toNanos() - (System.nanoTime() - stopped);
            if (slept > 0) {
                // Not synchronisation: the pause itself is the fault under test, held for its whole length.
                TimeUnit.NANOSECONDS.sleep(slept);
            }
            signal(leader, "CONT");
            Bridge resumed = leader;
            Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(200))
                    .until(() -> role(resumed).equals("standby") && subscribers() <= 1);
            watch.excuse(false);
            assertThat(leads(standby)).as("the replica that took over still leads").isTrue();
            awaitMoreCommands(commands, 40);

            // A rolling restart, the standby first, as a Deployment with maxUnavailable 0 would do it.
            leader = standby;
            for (Bridge old : List.of(resumed, leader)) {
                Bridge other = bridges.stream().filter(bridge -> bridge != old && bridge.process().isAlive())
                        .findFirst().orElseThrow();
                Bridge fresh = start(old.name() + "'");
                stop(old);
                awaitOneLeader(other, fresh);
                awaitMoreCommands(commands, 40);
            }

            traffic.shutdown();
            assertThat(traffic.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            System.out.printf("ReplicaChaosIT: %d changes, %d DO_NOT_CALL dispositions accepted, %d subscriber "
                    + "samples%n", people.changes.get(), people.dispositions.get(), watch.samples.get());

            List<ConsumerRecord<String, String>> seen = commands.awaitUntil(records -> people.converged(records),
                    WAIT);
            assertThat(duplicates(seen)).as("commands read twice under read_committed").isEmpty();
            assertThat(people.madeCallableWhileSuppressed(seen))
                    .as("commands that make a suppressed person callable").isEmpty();
            assertThat(watch.overlaps).as("samples with two Salesforce subscribers while both bridges ran").isEmpty();
        }
    }

    // ---- the traffic and what the dialer must end up with ----------------------------------------------------

    /**
     * People created at the start, then at random: a phone change (most steps), DoNotCall set in Salesforce, or a
     * DO_NOT_CALL disposition posted to a replica that runs. A suppression is never lifted here, so after a person's
     * first suppress no command may make them callable.
     */
    private final class Traffic {

        private final SplittableRandom random;
        private final List<String> ids = new ArrayList<>();
        private final Set<String> suppressed = ConcurrentHashMap.newKeySet();
        private final AtomicInteger changes = new AtomicInteger();
        private final AtomicInteger dispositions = new AtomicInteger();
        private int numbers;

        Traffic(SplittableRandom random) {
            this.random = random;
        }

        void createAll() {
            for (int person = 0; person < PEOPLE; person++) {
                RecordStore.Transaction transaction = emulator.records().begin(USER, "test");
                ids.add(transaction.create(SObjectType.CONTACT, Map.of("LastName", "Chaos " + person,
                        "Phone", nextNumber(), "DoNotCall", false)));
                transaction.commit();
            }
        }

        void step() {
            String id = ids.get(random.nextInt(ids.size()));
            int draw = random.nextInt(100);
            if (draw < 80) {
                update(id, Map.of("Phone", nextNumber()));
            } else if (draw < 90) {
                update(id, Map.of("DoNotCall", true));
                suppressed.add(id);
            } else if (postDoNotCall(id)) {
                suppressed.add(id);
                dispositions.incrementAndGet();
            }
        }

        private void update(String id, Map<String, Object> values) {
            RecordStore.Transaction transaction = emulator.records().begin(USER, "test");
            transaction.update(SObjectType.CONTACT, id, values);
            transaction.commit();
            changes.incrementAndGet();
        }

        private String nextNumber() {
            return String.format("+1415555%04d", ++numbers % 10_000);
        }

        /** Posts to a running replica, the other if that one does not answer; true when one accepted it. */
        private boolean postDoNotCall(String id) {
            String phone = String.valueOf(emulator.records().find(id).orElseThrow().get("Phone"));
            String body = "{\"callId\": \"chaos-" + SEED + "-" + changes.incrementAndGet() + "\", \"recordId\": \""
                    + id + "\", \"disposition\": \"DO_NOT_CALL\", \"phone\": \"" + phone + "\", \"endedAt\": \""
                    + Instant.now() + "\"}";
            List<Bridge> running = new ArrayList<>(bridges.stream().filter(Bridge::running).toList());
            if (running.size() > 1 && random.nextBoolean()) {
                running.add(running.remove(0));
            }
            for (Bridge bridge : running) {
                try {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(
                                    "http://127.0.0.1:" + bridge.port() + "/api/v1/dispositions"))
                            .header("Authorization", "Bearer " + API_KEY).header("Content-Type", "application/json")
                            .timeout(Duration.ofSeconds(3)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 202) {
                        return true;
                    }
                } catch (IOException e) {
                    // That replica is stopping or paused: the other one takes it.
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return false;
        }

        /** True once every person's folded commands say what Salesforce (and the accepted dispositions) say. */
        boolean converged(List<ConsumerRecord<String, String>> records) {
            Map<String, Folded> view = fold(records);
            for (String id : ids) {
                Folded person = view.get(id);
                if (person == null) {
                    return false;
                }
                if (suppressed.contains(id)) {
                    if (!person.suppressed) {
                        return false;
                    }
                } else {
                    Object phone = emulator.records().find(id).orElseThrow().get("Phone");
                    if (person.suppressed || !String.valueOf(phone).equals(person.phone)) {
                        return false;
                    }
                }
            }
            return true;
        }

        /** Commands, in the order a dialer reads them, that would make a person callable after their suppress. */
        List<String> madeCallableWhileSuppressed(List<ConsumerRecord<String, String>> records) {
            Set<String> suppressedSoFar = new HashSet<>();
            List<String> offending = new ArrayList<>();
            for (ConsumerRecord<String, String> record : records) {
                String type = KafkaTopicReader.header(record, "ce_type");
                if ("dialer.contact.suppress".equals(type)) {
                    suppressedSoFar.add(record.key());
                } else if (suppressedSoFar.contains(record.key()) && (type.equals("dialer.contact.upsert")
                        || type.equals("dialer.contact.unsuppress") || type.equals("dialer.campaign-member.add"))) {
                    offending.add(type + " " + KafkaTopicReader.header(record, "ce_id"));
                }
            }
            return offending;
        }
    }

    /** A person as the dialer sees them: their phone (from upserts, JSON Merge Patch) and whether suppressed. */
    private static final class Folded {
        String phone;
        boolean suppressed;
    }

    private static Map<String, Folded> fold(List<ConsumerRecord<String, String>> records) {
        Map<String, Folded> view = new HashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            Folded person = view.computeIfAbsent(record.key(), key -> new Folded());
            switch (String.valueOf(KafkaTopicReader.header(record, "ce_type"))) {
                case "dialer.contact.upsert" -> {
                    JsonNode phone = read(record.value()).path("phones").path("Phone");
                    if (!phone.isMissingNode()) {
                        person.phone = phone.path("e164").asText(null);
                    }
                }
                case "dialer.contact.suppress" -> person.suppressed = true;
                case "dialer.contact.unsuppress" -> person.suppressed = false;
                default -> {
                }
            }
        }
        return view;
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("A command that is not JSON: " + json, e);
        }
    }

    private static List<String> duplicates(List<ConsumerRecord<String, String>> records) {
        Set<String> ids = new HashSet<>();
        return records.stream().map(record -> KafkaTopicReader.header(record, "ce_id")).filter(id -> !ids.add(id))
                .toList();
    }

    /** Samples the emulator's subscribers on the stream; two while no pause is excused is an overlap. */
    private final class SubscriberWatch {
        private final AtomicBoolean excused = new AtomicBoolean();
        private final AtomicInteger samples = new AtomicInteger();
        private final List<String> overlaps = new CopyOnWriteArrayList<>();

        void excuse(boolean pausing) {
            excused.set(pausing);
        }

        void sample() {
            int count = subscribers();
            samples.incrementAndGet();
            if (count > 1 && !excused.get()) {
                overlaps.add(Instant.now() + ": " + count + " subscribers");
            }
        }
    }

    // ---- the processes -----------------------------------------------------------------------------------------

    private Bridge start(String name) throws Exception {
        Path jar = Path.of(System.getProperty("dialer.jar"));
        int port = freePort();
        Path log = Files.createTempFile("dialer-bridge-chaos-" + name.replace("'", "2"), ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-XX:+UseSerialGC", "-jar", jar.toString(), "--server.port=" + port,
                "--dialer.management.tokens=" + TOKEN,
                "--dialer.streams.lead-pushtopic.enabled=false",
                "--dialer.streams.campaign-member-cdc.enabled=false",
                "--dialer.streams.dialer-control-generic.enabled=false"));
        command.addAll(ProductionArguments.against(emulator, broker, API_KEY));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Bridge bridge = new Bridge(name, process, port, log, new AtomicBoolean());
        bridges.add(bridge);
        Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            return status(bridge, "/actuator/health/readiness") == 200;
        });
        return bridge;
    }

    private void stop(Bridge bridge) throws InterruptedException {
        bridge.process().destroy();
        assertThat(bridge.process().waitFor(60, TimeUnit.SECONDS)).as(bridge.name() + " stopped on SIGTERM").isTrue();
        bridges.remove(bridge);
    }

    private static void signal(Bridge bridge, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(bridge.process().pid())).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -" + signal).isTrue();
        bridge.paused().set(signal.equals("STOP"));
    }

    private Bridge awaitOneLeader(Bridge first, Bridge second) {
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(200))
                .until(() -> leads(first) ^ leads(second) && subscribers() == 1);
        return leads(first) ? first : second;
    }

    private boolean leads(Bridge bridge) {
        return role(bridge).equals("leader");
    }

    private String role(Bridge bridge) {
        if (!bridge.running()) {
            return "";
        }
        try {
            String body = get(bridge, "/actuator/health").body();
            return body.contains("\"role\":\"leader\"") ? "leader" : body.contains("\"role\":\"standby\"")
                    ? "standby" : "";
        } catch (IOException e) {
            return "";
        }
    }

    private int subscribers() {
        return emulator.streaming().subscriberCount(CONTACTS);
    }

    private static void awaitMoreCommands(KafkaTopicReader commands, int more) {
        int before = commands.records().size();
        commands.awaitUntil(records -> records.size() >= before + more, WAIT);
    }

    private int status(Bridge bridge, String path) {
        try {
            return get(bridge, path).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    private HttpResponse<String> get(Bridge bridge, String path) throws IOException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bridge.port() + path))
                    .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
