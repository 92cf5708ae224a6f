package io.dialerbridge.emulator.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dialerbridge.emulator.CamelStreamingFixture;
import io.dialerbridge.emulator.EmulatorSettings;
import io.dialerbridge.emulator.data.SObjectType;
import io.dialerbridge.emulator.streaming.EventSchemas;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericRecord;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.component.salesforce.api.dto.PlatformEvent;
import org.apache.camel.component.salesforce.api.dto.pubsub.PublishResult;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * camel-salesforce's own Pub/Sub client ({@code pubSubSubscribe:} and {@code pubSubPublish:} endpoints) against the
 * emulator over TLS, with nothing but {@code pubSubHost} and {@code pubSubPort} pointed at it; CometD consumers of
 * the same Camel context read the same events.
 */
class CamelPubSubIT {

    private static final String PUBSUB_CONTACTS = "salesforce:pubSubSubscribe:/data/ContactChangeEvent"
            + "?pubSubDeserializeType=GENERIC_RECORD";
    private static final String PUBSUB_COMMANDS = "salesforce:pubSubSubscribe:/event/Dialer_Command__e"
            + "?pubSubDeserializeType=GENERIC_RECORD";

    private CamelStreamingFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = new CamelStreamingFixture(EmulatorSettings.dialerOrg());
        fixture.salesforce().setPubSubHost(fixture.emulator().pubSubHost());
        fixture.salesforce().setPubSubPort(fixture.emulator().pubSubPort());
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    @Test
    void changeEventsPublishedOnceReachCometdAndPubSubAtTheSamePosition() throws Exception {
        fixture.startConnected();
        MockEndpoint cometd = fixture.consume("cometd", "salesforce:subscribe:data/ContactChangeEvent");
        MockEndpoint pubSub = fixture.consume("pubsub", PUBSUB_CONTACTS);
        cometd.expectedMessageCount(2);
        pubSub.expectedMessageCount(2);
        fixture.awaitSubscribed("/data/ContactChangeEvent");
        awaitPubSubSubscriber("/data/ContactChangeEvent");
        HttpResponse<String> subscribers = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(fixture.emulator().baseUrl() + "/emulator/subscribers")).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode perApi = new ObjectMapper().readTree(subscribers.body());
        assertThat(perApi.path("pubsub").path("/data/ContactChangeEvent").asInt()).isEqualTo(1);
        assertThat(perApi.path("cometd").path("/data/ContactChangeEvent").asInt()).isEqualTo(1);

        String id = fixture.create(SObjectType.CONTACT, Map.of("FirstName", "Ada", "LastName", "Lovelace",
                "Phone", "(415) 555-0134"));
        Map<String, Object> change = new HashMap<>();
        change.put("Phone", null);
        fixture.update(SObjectType.CONTACT, id, change);

        MockEndpoint.assertIsSatisfied(20, TimeUnit.SECONDS, cometd, pubSub);
        for (int i = 0; i < 2; i++) {
            Exchange viaCometd = cometd.getReceivedExchanges().get(i);
            Exchange viaPubSub = pubSub.getReceivedExchanges().get(i);
            long cometdReplayId = viaCometd.getMessage().getHeader("CamelSalesforceReplayId", Long.class);
            assertThat(position(viaPubSub.getMessage().getHeader("CamelSalesforcePubSubReplayId", String.class)))
                    .isEqualTo(cometdReplayId);
            GenericRecord event = viaPubSub.getMessage().getBody(GenericRecord.class);
            GenericRecord header = (GenericRecord) event.get("ChangeEventHeader");
            assertThat(header.get("changeType").toString())
                    .isEqualTo(viaCometd.getMessage().getHeader("CamelSalesforceChangeType"));
            assertThat(((List<?>) header.get("recordIds")).get(0).toString()).isEqualTo(id);
            assertThat(viaCometd.getMessage().getHeader("CamelSalesforceChangeEventSchema"))
                    .isEqualTo(EventSchemas.schemaId(event.getSchema()));
        }
        GenericRecord update = pubSub.getReceivedExchanges().get(1).getMessage().getBody(GenericRecord.class);
        List<?> nulled = (List<?>) ((GenericRecord) update.get("ChangeEventHeader")).get("nulledFields");
        int phone = update.getSchema().getField("Phone").pos();
        assertThat(nulled).hasSize(1);
        assertThat(new java.math.BigInteger(nulled.get(0).toString().substring(2), 16).testBit(phone)).isTrue();
    }

    @Test
    void platformEventsPublishedThroughPubSubReachBothApisAndReportTheirReplayIds() throws Exception {
        fixture.startConnected();
        MockEndpoint cometd = fixture.consume("cometd", "salesforce:subscribe:event/Dialer_Command__e");
        MockEndpoint pubSub = fixture.consume("pubsub", PUBSUB_COMMANDS);
        fixture.camel().addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:publish").routeId("publish").to("salesforce:pubSubPublish:/event/Dialer_Command__e");
            }
        });
        cometd.expectedMessageCount(2);
        pubSub.expectedMessageCount(2);
        fixture.awaitSubscribed("/event/Dialer_Command__e");
        awaitPubSubSubscriber("/event/Dialer_Command__e");

        String createdBy = fixture.emulator().settings().userId();
        List<String> events = List.of(
                "{\"CreatedDate\": 1764720000000, \"CreatedById\": \"" + createdBy + "\", "
                        + "\"Command__c\": \"PAUSE_CAMPAIGN\", \"Campaign_Id__c\": \"701000000000001AAA\"}",
                "{\"CreatedDate\": 1764720000000, \"CreatedById\": \"" + createdBy + "\", "
                        + "\"Command__c\": \"RESUME_CAMPAIGN\"}");
        List<?> results = fixture.camel().createProducerTemplate().requestBody("direct:publish", events, List.class);

        assertThat(results).hasSize(2).allSatisfy(result -> assertThat(((PublishResult) result).hasError()).isFalse());
        MockEndpoint.assertIsSatisfied(20, TimeUnit.SECONDS, cometd, pubSub);
        for (int i = 0; i < 2; i++) {
            String replayId = ((PublishResult) results.get(i)).getReplayId();
            Exchange viaPubSub = pubSub.getReceivedExchanges().get(i);
            Exchange viaCometd = cometd.getReceivedExchanges().get(i);
            assertThat(viaPubSub.getMessage().getHeader("CamelSalesforcePubSubReplayId")).isEqualTo(replayId);
            assertThat(viaCometd.getMessage().getHeader("CamelSalesforceReplayId", Long.class))
                    .isEqualTo(position(replayId));
            Map<?, ?> onTheBus = (Map<?, ?>) fixture.emulator().bus()
                    .eventsAfter("/event/Dialer_Command__e", position(replayId) - 1, Integer.MAX_VALUE).get(0)
                    .data().get("event");
            assertThat(viaPubSub.getMessage().getHeader("CamelSalesforcePubSubEventId"))
                    .isEqualTo(onTheBus.get("EventUuid"));
        }
        GenericRecord first = pubSub.getReceivedExchanges().get(0).getMessage().getBody(GenericRecord.class);
        assertThat(first.get("Command__c").toString()).isEqualTo("PAUSE_CAMPAIGN");
        assertThat(first.get("CreatedDate")).isInstanceOf(Long.class);
        assertThat(cometd.getReceivedExchanges().get(0).getMessage().getHeader("CamelSalesforcePlatformEventSchema"))
                .isEqualTo(EventSchemas.schemaId(first.getSchema()));
        PlatformEvent cometdBody = cometd.getReceivedExchanges().get(0).getMessage().getBody(PlatformEvent.class);
        assertThat(cometdBody.getEventData()).containsEntry("Command__c", "PAUSE_CAMPAIGN")
                .containsEntry("Campaign_Id__c", "701000000000001AAA");
        assertThat(fixture.emulator().traffic().calls()).doesNotContainKey(
                "POST /services/data/v56.0/sobjects/Dialer_Command__e");
    }

    @Test
    void aCustomReplayIdResumesAfterThatEvent() throws Exception {
        long first = publishCommand("FIRST");
        long second = publishCommand("SECOND");
        String after = Base64.getEncoder().encodeToString(ByteBuffer.allocate(8).putLong(first).array());
        MockEndpoint pubSub = fixture.consume("pubsub", PUBSUB_COMMANDS
                + "&replayPreset=CUSTOM&pubSubReplayId=RAW(" + after + ")");
        pubSub.expectedMessageCount(1);
        fixture.camel().start();

        pubSub.assertIsSatisfied(TimeUnit.SECONDS.toMillis(20));
        Exchange resumed = pubSub.getReceivedExchanges().get(0);
        assertThat(position(resumed.getMessage().getHeader("CamelSalesforcePubSubReplayId", String.class)))
                .isEqualTo(second);
        assertThat(resumed.getMessage().getBody(GenericRecord.class).get("Command__c").toString())
                .isEqualTo("SECOND");
    }

    @Test
    void afterTheTokensExpireCamelLogsInAgainAndResumesWhereItWasWithoutLossOrRepeat() throws Exception {
        MockEndpoint pubSub = fixture.consume("pubsub", PUBSUB_COMMANDS);
        fixture.camel().start();
        awaitPubSubSubscriber("/event/Dialer_Command__e");
        pubSub.expectedMessageCount(1);
        publishCommand("BEFORE");
        pubSub.assertIsSatisfied(TimeUnit.SECONDS.toMillis(20));
        long logins = loginCount();
        pubSub.reset();
        pubSub.expectedMessageCount(2);

        fixture.emulator().tokens().expireAll();
        fixture.emulator().pubSub().checkTokens();
        publishCommand("DURING");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> loginCount() > logins);
        awaitPubSubSubscriber("/event/Dialer_Command__e");
        publishCommand("AFTER");
        pubSub.assertIsSatisfied(TimeUnit.SECONDS.toMillis(30));
        assertThat(pubSub.getReceivedExchanges()).extracting(exchange -> exchange.getMessage()
                .getBody(GenericRecord.class).get("Command__c").toString()).containsExactly("DURING", "AFTER");
    }

    /**
     * A property of camel 4.17's client the bridge must not inherit: when the server completes a Subscribe stream,
     * camel logs it and never subscribes again, so the consumer stops receiving without any error.
     */
    @Test
    void whenTheServerEndsTheStreamCamelsConsumerDoesNotSubscribeAgain() throws Exception {
        MockEndpoint pubSub = fixture.consume("pubsub", PUBSUB_COMMANDS);
        fixture.camel().start();
        awaitPubSubSubscriber("/event/Dialer_Command__e");

        assertThat(fixture.emulator().pubSub().endStreams(false)).isEqualTo(1);
        publishCommand("UNSEEN");
        Awaitility.await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() ->
                fixture.emulator().pubSub().subscriberCounts().isEmpty() && pubSub.getReceivedCounter() == 0);
    }

    private long loginCount() {
        return fixture.emulator().traffic().calls().getOrDefault("POST /services/oauth2/token", 0L);
    }

    private long publishCommand(String command) {
        return fixture.emulator().platformEvents().publish("Dialer_Command__e", Map.of("Command__c", command),
                fixture.emulator().settings().userId()).replayId();
    }

    private void awaitPubSubSubscriber(String topic) {
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> fixture.emulator().pubSub().subscriberCounts().getOrDefault(topic, 0) > 0);
    }

    private static long position(String base64ReplayId) {
        byte[] bytes = Base64.getDecoder().decode(base64ReplayId);
        assertThat(bytes).hasSize(8);
        return ByteBuffer.wrap(bytes).getLong();
    }
}
