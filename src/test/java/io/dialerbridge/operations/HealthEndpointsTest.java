package io.dialerbridge.operations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The probes and metrics a container platform uses, served over HTTP by the bridge in local mode: liveness, readiness
 * made of Kafka and Salesforce, and the Prometheus scrape; plus the probe the container's HEALTHCHECK runs.
 */
// Each context runs its own emulator and Kafka broker: close them when the class is done, never cache them.
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "spring.profiles.active=local",
    "demo.enabled=false",
    "emulator.port=0",
    "embedded-kafka.port=0",
    "embedded-kafka.data-directory=target/test-kafka/${random.uuid}",
    "camel.main.routes-reload-enabled=false"
})
// Spring Boot's tests switch metrics export off unless asked; the Prometheus endpoint is part of what is tested.
@AutoConfigureObservability(tracing = false)
class HealthEndpointsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Test
    void livenessIsUp() throws Exception {
        HttpResponse<String> liveness = get("/actuator/health/liveness");

        assertThat(liveness.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(liveness.body()).path("status").asText()).isEqualTo("UP");
    }

    @Test
    void readinessIsMadeOfKafkaAndSalesforce() throws Exception {
        HttpResponse<String> readiness = get("/actuator/health/readiness");

        JsonNode body = JSON.readTree(readiness.body());
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(body.path("status").asText()).isEqualTo("UP");
        assertThat(body.path("components").path("kafka").path("status").asText()).isEqualTo("UP");
        assertThat(body.path("components").path("salesforce").path("status").asText()).isEqualTo("UP");
        assertThat(body.path("components").has("readinessState")).isTrue();
    }

    @Test
    void prometheusCanBeScraped() throws Exception {
        HttpResponse<String> metrics = get("/actuator/prometheus");

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("# TYPE jvm_memory_used_bytes gauge");
    }

    @Test
    void theContainersHealthcheckProbeSeesTheBridgeUp() {
        URI liveness = URI.create("http://127.0.0.1:" + port + "/actuator/health/liveness");

        assertThat(LivenessProbe.isUp(liveness, Duration.ofSeconds(5))).isTrue();
        assertThat(LivenessProbe.isUp(URI.create("http://127.0.0.1:" + port + "/no-such-page"),
                Duration.ofSeconds(5))).isFalse();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
