package io.dialerbridge.operations;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The container's {@code HEALTHCHECK}: asks the bridge in the same container for its liveness and exits 0 when it
 * answers UP, 1 otherwise. It uses only the JDK, so the runtime image needs no curl or shell, and the Dockerfile
 * runs it from its own class file without starting Spring.
 *
 * <p>The port is {@code SERVER_PORT} (8080 when unset), as for the bridge itself.
 */
public final class LivenessProbe {

    private LivenessProbe() {
    }

    public static void main(String[] args) {
        String port = System.getenv().getOrDefault("SERVER_PORT", "8080");
        URI uri = URI.create(args.length > 0 ? args[0] : "http://127.0.0.1:" + port + "/actuator/health/liveness");
        System.exit(isUp(uri, Duration.ofSeconds(3)) ? 0 : 1);
    }

    /** Whether the health endpoint at the address answers 200 with status UP within the timeout. */
    public static boolean isUp(URI uri, Duration timeout) {
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build();
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).timeout(timeout).build(),
                    HttpResponse.BodyHandlers.ofString());
            boolean up = response.statusCode() == 200 && response.body().contains("\"status\":\"UP\"");
            System.out.println(uri + " -> " + response.statusCode() + " " + response.body());
            return up;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.out.println(uri + " -> interrupted");
            return false;
        } catch (Exception e) {
            System.out.println(uri + " -> " + e);
            return false;
        }
    }
}
