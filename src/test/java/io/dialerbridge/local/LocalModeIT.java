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
import java.util.concurrent.TimeUnit;
import com.salesforce.eventbus.protobuf.PubSubGrpc;
import com.salesforce.eventbus.protobuf.TopicInfo;
import com.salesforce.eventbus.protobuf.TopicRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
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
    void thePubSubApiAnswersOverTlsThisProcessTrustsAndTheSalesforceComponentPointsThere() throws Exception {
        SalesforceComponent salesforce = camel.getComponent("salesforce", SalesforceComponent.class);
        assertThat(salesforce.getPubSubHost()).isEqualTo(emulator.pubSubHost());
        assertThat(salesforce.getPubSubPort()).isEqualTo(emulator.pubSubPort()).isNotEqualTo(8091);

        ManagedChannel channel = ManagedChannelBuilder.forAddress(salesforce.getPubSubHost(),
                salesforce.getPubSubPort()).build();
        try {
            Metadata auth = new Metadata();
            auth.put(Metadata.Key.of("accesstoken", Metadata.ASCII_STRING_MARSHALLER),
                    emulator.tokens().issue().value());
            auth.put(Metadata.Key.of("instanceurl", Metadata.ASCII_STRING_MARSHALLER), emulator.baseUrl());
            auth.put(Metadata.Key.of("tenantid", Metadata.ASCII_STRING_MARSHALLER), emulator.settings().orgId());
            TopicInfo topic = PubSubGrpc.newBlockingStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(auth))
                    .withDeadlineAfter(20, TimeUnit.SECONDS)
                    .getTopic(TopicRequest.newBuilder().setTopicName("/event/Call_Disposition__e").build());
            assertThat(topic.getCanPublish()).isTrue();
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
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
