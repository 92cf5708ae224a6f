package io.dialerbridge.leadership;

import static org.assertj.core.api.Assertions.assertThat;

import io.dialerbridge.KafkaTopicReader;
import io.dialerbridge.ProductionArguments;
import io.dialerbridge.emulator.EmulatorSettings;
import io.dialerbridge.emulator.SalesforceEmulator;
import io.dialerbridge.emulator.data.RecordStore;
import io.dialerbridge.emulator.data.SObjectType;
import io.dialerbridge.local.kafka.EmbeddedKafkaBroker;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar twice, in production mode, against an emulated org and a broker this JVM runs: {@code kill -9} of
 * the leader, and the standby consumes within 15 s with the default settings, from the checkpoint: a contact changed
 * while no bridge led reaches the dialer, and every command is read once under {@code read_committed}.
 */
class LeaderFailoverIT {

    private static final String API_KEY = "failover-it-api-key-0001";
    private static final String TOKEN = "failover-it-operator-token";
    private static final String USER = "005000000000001AAA";
    private static final Duration FAILOVER = Duration.ofSeconds(15);

    private SalesforceEmulator emulator;
    private EmbeddedKafkaBroker broker;
    private final List<Bridge> bridges = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    /** One bridge process and its HTTP port. */
    private record Bridge(Process process, int port, Path log) {
    }

    @BeforeEach
    void startSalesforceAndKafka() throws Exception {
        emulator = new SalesforceEmulator(EmulatorSettings.dialerOrg()).start();
        broker = EmbeddedKafkaBroker.builder().port(0).start();
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (Bridge bridge : bridges) {
            bridge.process().destroy();
            if (!bridge.process().waitFor(60, TimeUnit.SECONDS)) {
                bridge.process().destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
        broker.close();
        emulator.close();
    }

    private Bridge start(String name) throws Exception {
        Path jar = Path.of(System.getProperty("dialer.jar"));
        int port = freePort();
        Path log = Files.createTempFile("dialer-bridge-" + name, ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-jar", jar.toString(), "--server.port=" + port,
                "--dialer.management.tokens=" + TOKEN,
                "--dialer.streams.lead-pushtopic.enabled=false",
                "--dialer.streams.campaign-member-cdc.enabled=false",
                "--dialer.streams.dialer-control-generic.enabled=false"));
        command.addAll(ProductionArguments.against(emulator, broker, API_KEY));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Bridge bridge = new Bridge(process, port, log);
        bridges.add(bridge);
        Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + ":\n"
                        + Files.readString(log));
            }
            return status(bridge, "/actuator/health/readiness") == 200;
        });
        return bridge;
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
                    .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private boolean leads(Bridge bridge) {
        try {
            return bridge.process().isAlive()
                    && get(bridge, "/actuator/health").body().contains("\"role\":\"leader\"");
        } catch (IOException e) {
            return false;
        }
    }

    private String createContact(String lastName) {
        RecordStore.Transaction transaction = emulator.records().begin(USER, "test");
        String id = transaction.create(SObjectType.CONTACT, Map.of("LastName", lastName, "Phone", "+14155550130"));
        transaction.commit();
        return id;
    }

    private static long commandsFor(List<ConsumerRecord<String, String>> records, String personId) {
        return records.stream().filter(record -> personId.equals(record.key())).count();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void afterKillDashNineOfTheLeaderTheStandbyConsumesWithin15SecondsAndNothingIsLostOrTwice() throws Exception {
        Bridge a = start("a");
        Bridge b = start("b");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> leads(a) ^ leads(b));
        Bridge leader = leads(a) ? a : b;
        Bridge standby = leader == a ? b : a;

        try (KafkaTopicReader commands = new KafkaTopicReader(broker.bootstrapServers(), "dialer.contact-commands")) {
            String before = createContact("Before");
            commands.awaitUntil(records -> commandsFor(records, before) > 0, Duration.ofSeconds(60));

            leader.process().destroyForcibly();
            long killed = System.nanoTime();
            assertThat(leader.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
            String during = createContact("During");
            List<ConsumerRecord<String, String>> seen = commands.awaitUntil(records -> commandsFor(records, during) > 0,
                    FAILOVER);
            long consumedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
            System.out.printf("After kill -9 of the leader, the standby consumed in %d ms%n", consumedAfter);
            assertThat(leads(standby)).isTrue();

            String after = createContact("After");
            seen = commands.awaitUntil(records -> commandsFor(records, after) > 0, Duration.ofSeconds(30));
            assertThat(commandsFor(seen, before)).isEqualTo(1);
            assertThat(commandsFor(seen, during)).isEqualTo(1);
            assertThat(commandsFor(seen, after)).isEqualTo(1);
        }
    }
}
