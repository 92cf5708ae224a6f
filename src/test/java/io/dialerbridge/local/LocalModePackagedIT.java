package io.dialerbridge.local;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar in local mode, as a user starts it: the emulator, the embedded broker, the bridge and the demo
 * traffic run the whole loop, from a change in the emulated CRM to a command on Kafka to a disposition published
 * back into the emulated org.
 */
class LocalModePackagedIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Process bridge;
    private Path output;

    @AfterEach
    void stop() throws Exception {
        if (bridge != null) {
            bridge.destroy();
            if (!bridge.waitFor(60, TimeUnit.SECONDS)) {
                bridge.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void theWholeLoopRunsFromTheCrmToTheDialerAndBackToSalesforce() throws Exception {
        Path jar = Path.of(System.getProperty("dialer.jar"));
        assertThat(jar).exists();
        int emulatorPort = freePort();
        output = Files.createTempFile("dialer-bridge-local", ".log");
        bridge = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jar.toString(), "--spring.profiles.active=local", "--server.port=" + freePort(),
                "--emulator.port=" + emulatorPort, "--embedded-kafka.port=" + freePort(),
                "--embedded-kafka.data-directory=target/it-kafka/" + UUID.randomUUID(), "--demo.interval=300ms")
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();

        HttpClient http = HttpClient.newHttpClient();
        URI events = URI.create("http://127.0.0.1:" + emulatorPort + "/emulator/events");
        Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            String log = Files.readString(output);
            if (!bridge.isAlive()) {
                throw new AssertionError("the bridge exited with " + bridge.exitValue() + ":\n" + log);
            }
            return log.contains("DIALER  dialer.contact.upsert") && dispositionsIn(http, events) > 0;
        });

        String log = Files.readString(output);
        assertThat(log).contains("CRM     created lead").contains("(intake answered 202)");
        assertThat(List.of(log.split("\n"))).noneMatch(line -> line.contains(" ERROR "));
    }

    private static int dispositionsIn(HttpClient http, URI events) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(events).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode retained = JSON.readTree(response.body()).path("retained");
            return retained.path("/event/Call_Disposition__e").asInt(0);
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }
}
