package io.dialerbridge.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.dialerbridge.LocalBridgeContext;
import io.dialerbridge.emulator.SalesforceEmulator;
import io.dialerbridge.local.kafka.EmbeddedKafkaBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;

/** The local profile brings up a reachable Salesforce emulator and Kafka broker, and points Camel at them. */
// Its own context: local mode exactly as ./mvnw spring-boot:test-run starts it, with no test's additions;
// closed after the class rather than kept idle in the cache with its emulator and broker.
@DirtiesContext
@LocalBridgeContext
class LocalModeIT {

    @Autowired
    SalesforceEmulator emulator;
    @Autowired
    EmbeddedKafkaBroker broker;
    @Autowired
    CamelContext camel;

    @Test
    void theEmulatorAnswersAndTheSalesforceComponentLogsInThere() throws Exception {
        HttpResponse<String> versions = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/services/data")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(versions.statusCode()).isEqualTo(200);
        assertThat(versions.body()).contains("\"version\":\"56.0\"");
        assertThat(camel.getComponent("salesforce", SalesforceComponent.class).getLoginUrl())
                .isEqualTo(emulator.baseUrl());
    }

    @Test
    void theBrokerServesAndTheKafkaComponentWritesThere() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers()))) {
            assertThat(admin.describeCluster().nodes().get().size()).isEqualTo(1);
        }
        assertThat(camel.getComponent("kafka", KafkaComponent.class).getConfiguration().getBrokers())
                .isEqualTo(broker.bootstrapServers());
    }
}
