package io.dialerbridge.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dialerbridge.LocalBridgeContext;
import io.dialerbridge.emulator.SalesforceEmulator;
import io.dialerbridge.emulator.data.RecordStore;
import io.dialerbridge.emulator.data.SObjectType;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.yaml.snakeyaml.Yaml;

/**
 * The probes and metrics a container platform uses, served over HTTP by the bridge in local mode: liveness, readiness
 * made of Kafka and Salesforce, the health details only for an operator with the management token, and the
 * Prometheus scrape with every metric the shipped dashboard and alerts name; plus the container's HEALTHCHECK probe.
 */
// Its own context: a real HTTP port and metrics export, which no other test needs; closed after the class
// rather than kept idle in the cache with its emulator and broker.
@DirtiesContext
@LocalBridgeContext(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// Spring Boot's tests switch metrics export off unless asked; the Prometheus endpoint is part of what is tested.
@AutoConfigureObservability(tracing = false)
class HealthEndpointsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The local profile's management token (application.yaml). */
    private static final String OPERATOR = "Bearer local-operator-token";
    /** Metric names the bridge exports, as the dashboard and the rules write them (Prometheus's own, e.g. up, aside). */
    private static final Pattern BRIDGE_METRIC =
            Pattern.compile("\\b((?:dialer|jvm|process|http_server)_[a-z0-9_]+)\\b");

    @Autowired
    SalesforceEmulator emulator;
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
        HttpResponse<String> readiness = get("/actuator/health/readiness", OPERATOR);

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

    @Test
    void anAnonymousCallerSeesTheStatusOnlyAndTheProbesStillAnswer() throws Exception {
        for (String path : List.of("/actuator/health", "/actuator/health/readiness", "/actuator/health/liveness")) {
            HttpResponse<String> health = get(path);

            JsonNode body = JSON.readTree(health.body());
            assertThat(health.statusCode()).as(path).isEqualTo(200);
            assertThat(body.path("status").asText()).as(path).isEqualTo("UP");
            // The root also names the probe groups; no component, no detail.
            assertThat(body.has("components")).as(path).isFalse();
            assertThat(body.has("details")).as(path).isFalse();
        }
        String all = get("/actuator/health").body();
        assertThat(all).doesNotContain(emulator.baseUrl()).doesNotContain("127.0.0.1").doesNotContain("brokers");
    }

    @Test
    void anOperatorWithTheManagementTokenSeesEachComponentsDetailsButNoSecret() throws Exception {
        HttpResponse<String> health = get("/actuator/health", OPERATOR);

        JsonNode components = JSON.readTree(health.body()).path("components");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(components.path("salesforce").path("details").path("instanceUrl").asText())
                .isEqualTo(emulator.baseUrl());
        assertThat(components.path("kafka").path("details").path("brokers").asText()).contains("127.0.0.1:");
        JsonNode contacts = components.path("replay").path("components").path("data-ContactChangeEvent");
        assertThat(contacts.path("status").asText()).isEqualTo("UP");
        assertThat(contacts.path("details").path("channel").asText()).isEqualTo("/data/ContactChangeEvent");
        assertThat(contacts.path("details").has("lagSeconds")).isTrue();
        assertThat(health.body()).doesNotContain("local-secret").doesNotContain("local-password")
                .doesNotContain("local-operator-token").doesNotContain("local-dialer-key");
    }

    @Test
    void aCommittedChangeShowsHowLongItsCheckpointStaysWithinSalesforcesRetention() throws Exception {
        RecordStore.Transaction transaction = emulator.records().begin("005000000000001AAA", "test");
        transaction.create(SObjectType.CONTACT, Map.of("LastName", "Lag", "Phone", "+14155550123"));
        transaction.commit();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode contacts = JSON.readTree(get("/actuator/health/replay", OPERATOR).body())
                    .path("components").path("data-ContactChangeEvent").path("details");
            // CDC keeps 72 h; the change is seconds old, and the channel committed it, so it is not behind.
            assertThat(contacts.path("retentionRemainingSeconds").asLong()).isBetween(71 * 3600L, 72 * 3600L);
            assertThat(contacts.path("lagSeconds").asLong()).isZero();
            assertThat(contacts.path("eventTime").asText()).isNotEmpty();
        });
        String retention = Arrays.stream(get("/actuator/prometheus").body().split("\n"))
                .filter(line -> line.startsWith("dialer_replay_retention_remaining_seconds{")
                        && line.contains("channel=\"/data/ContactChangeEvent\""))
                .findFirst().orElseThrow();
        assertThat(Double.parseDouble(retention.substring(retention.lastIndexOf(' ') + 1)))
                .isBetween(71 * 3600.0, 72 * 3600.0);
    }

    @Test
    void aWrongManagementTokenIsRefusedRatherThanTreatedAsAnonymous() throws Exception {
        HttpResponse<String> health = get("/actuator/health", "Bearer not-the-operators-token");

        assertThat(health.statusCode()).isEqualTo(401);
        assertThat(health.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                value -> assertThat(value).startsWith("Bearer"));
    }

    @Test
    void everyMetricTheDashboardAndTheAlertsNameIsOnTheScrape() throws Exception {
        Set<String> named = new TreeSet<>();
        named.addAll(metricsIn(alertExpressions()));
        named.addAll(metricsIn(dashboardExpressions()));
        assertThat(named).contains("dialer_replay_lag_seconds", "dialer_stream_connected", "dialer_dead_letters_total");
        // Dead letters are counted per reason and route, known only once one happens: make one, once the stream
        // routes (started by the route controller, after the context) are subscribed and the bridge is ready.
        await().atMost(Duration.ofSeconds(60)).until(() -> get("/actuator/health/readiness", OPERATOR).statusCode() == 200);
        emulator.platformEvents().publish("Dialer_Command__e", Map.of("Command__c", "LAUNCH_ROCKETS"),
                "005000000000001AAA");

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(scrapedNames()).containsAll(named));
    }

    private Set<String> scrapedNames() throws Exception {
        HttpResponse<String> metrics = get("/actuator/prometheus");
        assertThat(metrics.statusCode()).isEqualTo(200);
        return Arrays.stream(metrics.body().split("\n"))
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> line.split("[{ ]", 2)[0])
                .collect(Collectors.toSet());
    }

    private static Set<String> metricsIn(List<String> expressions) {
        Set<String> names = new TreeSet<>();
        for (String expression : expressions) {
            Matcher metric = BRIDGE_METRIC.matcher(expression);
            while (metric.find()) {
                names.add(metric.group(1));
            }
        }
        return names;
    }

    @SuppressWarnings("unchecked")
    private static List<String> alertExpressions() throws Exception {
        try (InputStream rules = Files.newInputStream(Path.of("monitoring/prometheus/dialer-bridge-alerts.yaml"))) {
            Map<String, Object> document = new Yaml().load(rules);
            List<String> expressions = new ArrayList<>();
            for (Map<String, Object> group : (List<Map<String, Object>>) document.get("groups")) {
                for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                    expressions.add(String.valueOf(rule.get("expr")));
                }
            }
            assertThat(expressions).isNotEmpty();
            return expressions;
        }
    }

    private static List<String> dashboardExpressions() throws Exception {
        JsonNode dashboard = JSON.readTree(Path.of("monitoring/grafana/dialer-bridge.json").toFile());
        List<String> expressions = new ArrayList<>();
        dashboard.path("panels").forEach(panel -> panel.path("targets")
                .forEach(target -> expressions.add(target.path("expr").asText())));
        dashboard.path("templating").path("list").forEach(variable -> expressions.add(variable.path("definition")
                .asText()));
        assertThat(expressions).isNotEmpty();
        return expressions;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", authorization).build(), HttpResponse.BodyHandlers.ofString());
    }
}
