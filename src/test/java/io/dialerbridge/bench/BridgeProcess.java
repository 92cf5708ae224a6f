package io.dialerbridge.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;

/**
 * The packaged bridge in its own JVM, in production mode, as a user runs it: its memory and garbage collection are its
 * own, measured from {@code /proc/<pid>/status} and its {@code /actuator/prometheus} endpoint.
 */
final class BridgeProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final ChildJvm jvm;
    private final URI actuator;

    private BridgeProcess(ChildJvm jvm, int port) {
        this.jvm = jvm;
        this.actuator = URI.create("http://127.0.0.1:" + port + "/actuator/");
    }

    /**
     * Starts {@code java <jvmOptions> -jar <jar> <arguments>} with the working directory's {@code application.yaml}
     * and {@code routes/}, and waits until its readiness probe answers 200.
     */
    static BridgeProcess start(Path jar, String jvmOptions, Path log, List<String> arguments) throws IOException {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of("-jar", jar.toString(), "--server.port=" + port));
        command.addAll(arguments);
        BridgeProcess bridge = new BridgeProcess(ChildJvm.start(jvmOptions, command, log), port);
        try {
            Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                    .until(bridge::ready);
        } catch (RuntimeException e) {
            bridge.close();
            throw e;
        }
        return bridge;
    }

    private boolean ready() {
        jvm.checkAlive();
        try {
            return get("health/readiness").statusCode() == 200;
        } catch (IOException e) {
            return false; // not listening yet
        }
    }

    ChildJvm jvm() {
        return jvm;
    }

    /** The bridge's own Micrometer figures: heap used (bytes), GC pauses (count, seconds) and the collectors' names. */
    Prometheus prometheus() throws IOException {
        String text = get("prometheus").body();
        double heap = 0;
        double pauses = 0;
        double pauseSeconds = 0;
        List<String> collectors = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                heap += value(line);
            } else if (line.startsWith("jvm_gc_pause_seconds_count{")) {
                pauses += value(line);
                String gc = line.replaceAll(".*gc=\"([^\"]*)\".*", "$1");
                if (!collectors.contains(gc)) {
                    collectors.add(gc);
                }
            } else if (line.startsWith("jvm_gc_pause_seconds_sum{")) {
                pauseSeconds += value(line);
            }
        }
        return new Prometheus((long) heap, (long) pauses, pauseSeconds, collectors);
    }

    record Prometheus(long heapUsedBytes, long gcPauses, double gcPauseSeconds, List<String> collectors) {
    }

    private HttpResponse<String> get(String path) throws IOException {
        try {
            return HTTP.send(HttpRequest.newBuilder(actuator.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static double value(String line) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        jvm.close();
    }
}
