package io.dialerbridge.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dialerbridge.DialerBridgeApplication;
import io.dialerbridge.KafkaTopicReader;
import io.dialerbridge.ProductionArguments;
import io.dialerbridge.emulator.ApiTraffic;
import io.dialerbridge.emulator.EmulatorSettings;
import io.dialerbridge.emulator.SalesforceEmulator;
import io.dialerbridge.emulator.data.RecordStore;
import io.dialerbridge.emulator.data.SObjectType;
import io.dialerbridge.local.kafka.EmbeddedKafkaBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The bridge in production mode started while Salesforce is overloaded: it does not exit, it is alive and not ready
 * (and tells an operator that Salesforce is why), and it subscribes and forwards events as soon as Salesforce answers
 * again. Settings Salesforce refuses still stop the start at once.
 */
class StartupThroughOutagesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER = "005000000000001AAA";
    private static final String CHANNEL = "/data/ContactChangeEvent";
    private static final String OPERATOR_TOKEN = "startup-operator-token-0001";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newHttpClient();
    private SalesforceEmulator emulator;
    private EmbeddedKafkaBroker broker;
    private ConfigurableApplicationContext bridge;
    private KafkaTopicReader commands;

    @BeforeEach
    void startSalesforceAndKafka() throws Exception {
        emulator = new SalesforceEmulator(EmulatorSettings.dialerOrg()).start();
        broker = EmbeddedKafkaBroker.builder().port(0).start();
    }

    @AfterEach
    void stopEverything() throws Exception {
        if (bridge != null) {
            bridge.close();
        }
        if (commands != null) {
            commands.close();
        }
        broker.close();
        emulator.close();
    }

    private ConfigurableApplicationContext startBridge(List<String> production) {
        List<String> arguments = new ArrayList<>(production);
        arguments.addAll(List.of("--server.port=0",
                "--dialer.management.tokens=" + OPERATOR_TOKEN,
                // One stream is enough to show it; the others start the same way.
                "--dialer.streams.lead-pushtopic.enabled=false",
                "--dialer.streams.dialer-control-generic.enabled=false",
                "--dialer.streams.dialer-command-events.enabled=false",
                "--dialer.streams.campaign-member-cdc.enabled=false",
                // A short back-off keeps the test short; the defaults are 1 s doubling up to 60 s.
                "--camel.routecontroller.back-off-delay=200",
                "--camel.routecontroller.back-off-max-delay=2000"));
        bridge = new SpringApplicationBuilder(DialerBridgeApplication.class).run(arguments.toArray(String[]::new));
        return bridge;
    }

    @Test
    void aBridgeStartedIntoA503StormStaysUpNotReadyAndForwardsOnceSalesforceAnswers() throws Exception {
        // Every login and every handshake, connect and subscribe is refused as too busy until the storm ends.
        emulator.traffic().answerBusy(ApiTraffic.Api.LOGIN, Integer.MAX_VALUE);
        emulator.traffic().answerBusy(ApiTraffic.Api.STREAMING, Integer.MAX_VALUE);

        // The start returns: nothing exited.
        startBridge(ProductionArguments.against(emulator, broker, "startup-test-api-key-0001"));
        int port = bridge.getEnvironment().getRequiredProperty("local.server.port", Integer.class);

        assertThat(get(port, "/actuator/health/liveness", null).statusCode()).isEqualTo(200);
        // Not ready, and an operator is told the stream route is being restarted because of Salesforce.
        Awaitility.await().atMost(WAIT).untilAsserted(() -> {
            HttpResponse<String> readiness = get(port, "/actuator/health/readiness", OPERATOR_TOKEN);
            assertThat(readiness.statusCode()).isEqualTo(503);
            JsonNode salesforce = JSON.readTree(readiness.body()).path("components").path("salesforce");
            assertThat(salesforce.path("status").asText()).isEqualTo("DOWN");
            assertThat(salesforce.path("details").path("session").asText()).isEqualTo("not logged in");
            assertThat(salesforce.path("details").path("routes").path("contact-cdc").asText())
                    .contains("restarting (attempt").contains("503");
        });
        // Anyone else sees the status only.
        HttpResponse<String> anonymous = get(port, "/actuator/health/readiness", null);
        assertThat(anonymous.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(anonymous.body()).has("components")).isFalse();
        assertThat(emulator.streaming().subscriberCount(CHANNEL)).isZero();

        // The storm ends.
        emulator.traffic().answerBusy(ApiTraffic.Api.LOGIN, 0);
        emulator.traffic().answerBusy(ApiTraffic.Api.STREAMING, 0);

        Awaitility.await().atMost(WAIT).until(() -> emulator.streaming().subscriberCount(CHANNEL) > 0);
        Awaitility.await().atMost(WAIT).until(() -> get(port, "/actuator/health/readiness", null).statusCode() == 200);
        commands = new KafkaTopicReader(broker.bootstrapServers(), "dialer.contact-commands");
        String contact = createContact("AfterTheStorm");
        List<ConsumerRecord<String, String>> received = commands.awaitUntil(
                records -> records.stream().anyMatch(record -> contact.equals(record.key())), WAIT);
        assertThat(received).anyMatch(record -> contact.equals(record.key()));
        assertThat(bridge.isActive()).isTrue();
    }

    @Test
    void aPasswordSalesforceRefusesStillStopsTheStartAtOnce() {
        List<String> production = new ArrayList<>(
                ProductionArguments.against(emulator, broker, "startup-test-api-key-0001"));
        production.replaceAll(argument -> argument.startsWith("--camel.component.salesforce.password=")
                ? "--camel.component.salesforce.password=not-the-password" : argument);

        assertThatThrownBy(() -> startBridge(production))
                .hasStackTraceContaining("The bridge cannot start: Salesforce refused its login")
                .hasStackTraceContaining("invalid_grant");
    }

    private String createContact(String lastName) {
        RecordStore.Transaction transaction = emulator.records().begin(USER, "test");
        String id = transaction.create(SObjectType.CONTACT, Map.of("LastName", lastName, "Phone", "+14155550100"));
        transaction.commit();
        return id;
    }

    private HttpResponse<String> get(int port, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(15));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
