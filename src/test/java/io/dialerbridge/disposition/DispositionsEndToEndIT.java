package io.dialerbridge.disposition;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dialerbridge.KafkaTopicReader;
import io.dialerbridge.LocalBridgeContext;
import io.dialerbridge.emulator.ApiTraffic;
import io.dialerbridge.emulator.SalesforceEmulator;
import io.dialerbridge.emulator.streaming.StreamingEvent;
import io.dialerbridge.kafka.KafkaClientSettings;
import io.dialerbridge.local.kafka.EmbeddedKafkaBroker;
import io.dialerbridge.salesforce.SalesforceId;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.component.salesforce.api.dto.PlatformEvent;
import org.apache.camel.component.salesforce.internal.streaming.CamelReplayState;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * The dispositions flow end to end: the three YAML routes of {@code routes/dispositions-*} with the intake on a real
 * HTTP port, a real embedded Kafka broker, and the Salesforce emulator that the real camel-salesforce client publishes
 * to.
 */
// Its own context: only the dispositions routes, with their own limits and retry delays; closed after the
// class rather than kept idle in the cache with its emulator and broker.
@DirtiesContext
@LocalBridgeContext(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = {
    "camel.main.routes-include-pattern=file:routes/dispositions-*.camel.yaml,"
        + "file:routes/errors/dispositions-*.camel.yaml",
    "dialer.dispositions.max-request-bytes=524288",
    "dialer.dispositions.retry.initial-delay-ms=100",
    "dialer.dispositions.retry.max-delay-ms=1000"
})
class DispositionsEndToEndIT {

    static final String KEY = "local-dialer-key";
    static final String CHANNEL = "/event/Call_Disposition__e";
    static final String COLLECTIONS = "POST /services/data/v56.0/composite/sobjects";
    static final Duration WAIT = Duration.ofSeconds(60);
    static final ObjectMapper JSON = new ObjectMapper();
    static final AtomicLong SEQUENCE = new AtomicLong();

    @LocalServerPort
    int port;
    @Autowired
    SalesforceEmulator emulator;
    @Autowired
    EmbeddedKafkaBroker broker;
    @Autowired
    PublishedCallRegistry registry;
    @Autowired
    KafkaClientSettings kafkaClient;
    @Autowired
    MeterRegistry meters;

    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void healthy() {
        // Faults armed by one test must not leak into the next.
        salesforceBusy(0);
    }

    // ---- dispositions and requests ------------------------------------------------------------------------------

    /** A valid Lead id, different for every call of this method, so tests never see each other's dispositions. */
    static String leadId() {
        String digits = String.format("%012d", SEQUENCE.incrementAndGet() + System.nanoTime() % 1_000_000_000L);
        return SalesforceId.to18("00Q" + digits.substring(digits.length() - 12));
    }

    static String callId() {
        return "c-" + UUID.randomUUID();
    }

    static Map<String, Object> disposition(String callId, String recordId, String code) {
        Map<String, Object> disposition = new LinkedHashMap<>();
        disposition.put("callId", callId);
        disposition.put("recordId", recordId);
        disposition.put("disposition", code);
        disposition.put("phone", "+14155550134");
        disposition.put("agentId", "agent-42");
        disposition.put("startedAt", "2026-11-27T15:04:05Z");
        disposition.put("endedAt", "2026-11-27T15:06:10Z");
        disposition.put("durationSeconds", 125);
        if (code.equals("FOLLOW_UP_LATER")) {
            disposition.put("callbackAt", "2026-11-28T17:00:00Z");
        }
        disposition.put("notes", "Asked to call back tomorrow afternoon");
        return disposition;
    }

    static Map<String, Object> interested(String callId) {
        return disposition(callId, leadId(), "INTERESTED");
    }

    HttpResponse<String> post(Object body) throws Exception {
        return post(JSON.writeValueAsString(body), "application/json", "Bearer " + KEY);
    }

    HttpResponse<String> post(String body, String contentType, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/api/v1/dispositions"))
                .timeout(WAIT)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    // ---- what Salesforce received -------------------------------------------------------------------------------

    /** The payloads of the Call_Disposition__e events the org has, by call id (a list, to see duplicates). */
    Map<String, List<Map<String, Object>>> publishedEvents() {
        Map<String, List<Map<String, Object>>> byCall = new HashMap<>();
        for (StreamingEvent event : emulator.bus().eventsAfter(CHANNEL, 0, Integer.MAX_VALUE)) {
            @SuppressWarnings("unchecked")
            Map<String, Object> payload = (Map<String, Object>) event.data().get("payload");
            byCall.computeIfAbsent((String) payload.get("Call_Id__c"), id -> new ArrayList<>()).add(payload);
        }
        return byCall;
    }

    /** Waits until every call id has an event, and returns the events of these calls. */
    Map<String, List<Map<String, Object>>> awaitPublished(List<String> callIds) {
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> publishedEvents().keySet().containsAll(callIds));
        return publishedEvents().entrySet().stream().filter(entry -> callIds.contains(entry.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** The publishing calls made so far: sObject Collections requests (the Pub/Sub variant counts its own). */
    long collectionCalls() {
        return emulator.traffic().calls().getOrDefault(COLLECTIONS, 0L);
    }

    /** Makes the next {@code count} publishing calls fail as a whole (busy), or ends that with 0. */
    void salesforceBusy(int count) {
        emulator.traffic().answerBusy(ApiTraffic.Api.REST, count);
    }

    /** Waits until a consumer group has committed everything on the dispositions topic. */
    void awaitCaughtUp(String groupId) {
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> isCaughtUp(groupId));
    }

    /** Whether a consumer group has committed everything on the dispositions topic. */
    boolean isCaughtUp(String groupId) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int partition = 0; partition < 3; partition++) {
                latest.put(new TopicPartition("dialer.dispositions", partition), OffsetSpec.latest());
            }
            return admin.listOffsets(latest).all().get().entrySet().stream().allMatch(end -> {
                OffsetAndMetadata offset = committed.get(end.getKey());
                return end.getValue().offset() == 0 || (offset != null && offset.offset() >= end.getValue().offset());
            });
        }
    }

    KafkaProducer<byte[], byte[]> rawProducer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
    }

    // ---- tests --------------------------------------------------------------------------------------------------

    @Nested
    class Intake {

        @Test
        void oneDispositionIsAcceptedAndPublishedAsACallDispositionEvent() throws Exception {
            String callId = callId();
            String lead15 = leadId().substring(0, 15);
            Map<String, Object> disposition = disposition(callId, lead15, "FOLLOW_UP_LATER");

            HttpResponse<String> response = post(disposition);

            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            assertThat(json(response.body()).get("accepted").asInt()).isEqualTo(1);
            assertThat(response.headers().firstValue("Authorization")).isEmpty();
            Map<String, Object> event = awaitPublished(List.of(callId)).get(callId).get(0);
            assertThat(event)
                    .containsEntry("Call_Id__c", callId)
                    .containsEntry("Record_Id__c", SalesforceId.to18(lead15))
                    .containsEntry("Disposition__c", "FOLLOW_UP_LATER")
                    .containsEntry("Phone__c", "+14155550134")
                    .containsEntry("Agent_Id__c", "agent-42")
                    .containsEntry("Call_Started_At__c", "2026-11-27T15:04:05.000Z")
                    .containsEntry("Call_Ended_At__c", "2026-11-27T15:06:10.000Z")
                    .containsEntry("Callback_At__c", "2026-11-28T17:00:00.000Z")
                    .containsEntry("Notes__c", "Asked to call back tomorrow afternoon")
                    .doesNotContainKey("Campaign_Id__c");
            assertThat(((Number) event.get("Duration_Seconds__c")).longValue()).isEqualTo(125);
        }

        @Test
        void aThousandDispositionsTakeAtMostTenCollectionsCalls() throws Exception {
            List<Map<String, Object>> dispositions = IntStream.range(0, 1000)
                    .mapToObj(i -> interested(callId())).toList();
            List<String> callIds = dispositions.stream().map(d -> (String) d.get("callId")).toList();
            long before = collectionCalls();

            HttpResponse<String> response = post(dispositions);

            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            assertThat(json(response.body()).get("accepted").asInt()).isEqualTo(1000);
            Map<String, List<Map<String, Object>>> events = awaitPublished(callIds);
            assertThat(events).hasSize(1000);
            assertThat(events.values()).allSatisfy(perCall -> assertThat(perCall).hasSize(1));
            assertThat(collectionCalls() - before).isBetween(5L, 10L);
        }

        @Test
        void anInvalidRequestIsRefusedWith400NamingEveryBadField() throws Exception {
            Map<String, Object> bad = disposition("", "001000000000000AAA", "MAYBE");
            bad.put("durationSeconds", -1);
            List<Object> body = List.of(interested(callId()), bad);

            HttpResponse<String> response = post(body);

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
            JsonNode problem = json(response.body());
            assertThat(problem.get("type").asText()).isEqualTo("https://dialer-bridge.io/problems/invalid-disposition");
            assertThat(problem.get("status").asInt()).isEqualTo(400);
            List<String> fields = new ArrayList<>();
            problem.get("errors").forEach(error -> fields.add(error.get("field").asText()));
            assertThat(fields).containsExactlyInAnyOrder("[1].callId", "[1].recordId", "[1].disposition",
                    "[1].durationSeconds");
        }

        @Test
        void malformedJsonIsRefusedWith400() throws Exception {
            HttpResponse<String> response = post("{\"callId\": ", "application/json", "Bearer " + KEY);

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(json(response.body()).get("type").asText())
                    .isEqualTo("https://dialer-bridge.io/problems/malformed-json");
        }

        @Test
        void noOrAWrongApiKeyIsRefusedWith401() throws Exception {
            String body = JSON.writeValueAsString(interested(callId()));

            for (String authorization : new String[] {null, "Bearer wrong-key-0123456789", "Basic " + KEY}) {
                HttpResponse<String> response = post(body, "application/json", authorization);

                assertThat(response.statusCode()).isEqualTo(401);
                assertThat(response.headers().firstValue("WWW-Authenticate"))
                        .hasValue("Bearer realm=\"dialer-bridge\"");
                assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                        type -> assertThat(type).startsWith("application/problem+json"));
                assertThat(json(response.body()).get("type").asText())
                        .isEqualTo("https://dialer-bridge.io/problems/unauthorized");
            }
        }

        @Test
        void anOversizeBodyIsRefusedWith413() throws Exception {
            Map<String, Object> disposition = interested(callId());
            disposition.put("padding", "x".repeat(600 * 1024));

            HttpResponse<String> response = post(JSON.writeValueAsString(disposition), "application/json",
                    "Bearer " + KEY);

            assertThat(response.statusCode()).isEqualTo(413);
            assertThat(json(response.body()).get("type").asText())
                    .isEqualTo("https://dialer-bridge.io/problems/content-too-large");
        }

        @Test
        void aBodyThatIsNotDeclaredJsonIsRefusedWith415() throws Exception {
            String body = JSON.writeValueAsString(interested(callId()));

            for (String contentType : new String[] {"text/plain", "application/xml", null}) {
                HttpResponse<String> response = post(body, contentType, "Bearer " + KEY);

                assertThat(response.statusCode()).as(String.valueOf(contentType)).isEqualTo(415);
                assertThat(json(response.body()).get("type").asText())
                        .isEqualTo("https://dialer-bridge.io/problems/unsupported-media-type");
            }
        }

        @Test
        void theOpenApiDocumentDescribesTheIntake() throws Exception {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/api/v1/openapi.json")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode document = json(response.body());
            assertThat(document.get("openapi").asText()).startsWith("3.");
            assertThat(document.at("/info/title").asText()).isEqualTo("dialer-bridge dispositions intake");
            assertThat(document.at("/paths/~1api~1v1~1dispositions/post").isMissingNode()).isFalse();
        }
    }

    @Nested
    class ExactlyOnce {

        @Test
        void aRepeatedCallIdIsPublishedOnce() throws Exception {
            String callId = callId();
            Map<String, Object> disposition = interested(callId);

            assertThat(post(List.of(disposition, disposition)).statusCode()).isEqualTo(202);
            awaitPublished(List.of(callId));
            awaitCaughtUp("dialer-bridge-dispositions");
            assertThat(post(disposition).statusCode()).isEqualTo(202);
            awaitCaughtUp("dialer-bridge-dispositions");

            assertThat(publishedEvents().get(callId)).hasSize(1);
        }

        @Test
        void salesforceAnswering503IsRetriedUntilEveryDispositionIsDeliveredOnce() throws Exception {
            List<Map<String, Object>> dispositions = IntStream.range(0, 50).mapToObj(i -> interested(callId()))
                    .toList();
            List<String> callIds = dispositions.stream().map(d -> (String) d.get("callId")).toList();
            long before = collectionCalls();
            salesforceBusy(3);

            assertThat(post(dispositions).statusCode()).isEqualTo(202);

            Map<String, List<Map<String, Object>>> events = awaitPublished(callIds);
            assertThat(events.values()).allSatisfy(perCall -> assertThat(perCall).hasSize(1));
            assertThat(collectionCalls() - before).as("three refused calls, then the accepted ones")
                    .isGreaterThanOrEqualTo(4);
        }

        @Test
        void offsetsAreNotCommittedUntilSalesforceAcceptsTheBatch() throws Exception {
            List<Map<String, Object>> dispositions = IntStream.range(0, 5).mapToObj(i -> interested(callId()))
                    .toList();
            List<String> callIds = dispositions.stream().map(d -> (String) d.get("callId")).toList();
            awaitCaughtUp("dialer-bridge-dispositions");
            long before = collectionCalls();
            salesforceBusy(1000);

            assertThat(post(dispositions).statusCode()).isEqualTo(202);
            Awaitility.await().atMost(WAIT).until(() -> collectionCalls() - before >= 3);

            assertThat(isCaughtUp("dialer-bridge-dispositions")).as("publisher committed while refused").isFalse();
            awaitCaughtUp("dialer-bridge-disposition-suppressions");
            assertThat(publishedEvents().keySet()).doesNotContainAnyElementsOf(callIds);

            salesforceBusy(0);
            Map<String, List<Map<String, Object>>> events = awaitPublished(callIds);
            awaitCaughtUp("dialer-bridge-dispositions");
            assertThat(events.values()).allSatisfy(perCall -> assertThat(perCall).hasSize(1));
        }

        @Test
        void anExpiredSessionMidStreamLosesAndRepeatsNothing() throws Exception {
            List<Map<String, Object>> first = IntStream.range(0, 30).mapToObj(i -> interested(callId())).toList();
            List<Map<String, Object>> second = IntStream.range(0, 30).mapToObj(i -> interested(callId())).toList();
            List<String> callIds = new ArrayList<>();
            first.forEach(d -> callIds.add((String) d.get("callId")));
            second.forEach(d -> callIds.add((String) d.get("callId")));

            assertThat(post(first).statusCode()).isEqualTo(202);
            awaitPublished(callIds.subList(0, 30));
            emulator.tokens().expireAll();
            assertThat(post(second).statusCode()).isEqualTo(202);

            Map<String, List<Map<String, Object>>> events = awaitPublished(callIds);
            assertThat(events).hasSize(60);
            assertThat(events.values()).allSatisfy(perCall -> assertThat(perCall).hasSize(1));
        }
    }

    @Nested
    class PublishedCalls {

        static final String TOPIC = "dialer-bridge.published-calls";

        @Test
        void publishedCallsAreOnACompactedTopicThatTheNextStartReads() throws Exception {
            List<String> callIds = List.of(callId(), callId());
            assertThat(post(callIds.stream().map(DispositionsEndToEndIT::interested).toList()).statusCode())
                    .isEqualTo(202);
            awaitPublished(callIds);
            awaitCaughtUp("dialer-bridge-dispositions");

            // What a restarted bridge does before its routes start: read the topic into an empty memory.
            PublishedCallRegistry afterRestart = new PublishedCallRegistry(10_000);
            try (PublishedCallLog log = new PublishedCallLog(afterRestart, TOPIC)) {
                log.start(kafkaClient.consumer(), WAIT);
            }

            assertThat(callIds).allMatch(afterRestart::contains);
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    broker.bootstrapServers()))) {
                ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, TOPIC);
                Config config = admin.describeConfigs(List.of(topic)).all().get().get(topic);
                assertThat(config.get("cleanup.policy").value()).isEqualTo("compact,delete");
            }
        }

        @Test
        void aCallTheTopicSaysIsPublishedIsAcknowledgedAndNotPublishedAgain() throws Exception {
            String callId = callId();
            // As another instance, or this one before a restart, would have recorded it.
            try (KafkaProducer<byte[], byte[]> producer = rawProducer()) {
                producer.send(new ProducerRecord<>(TOPIC, callId.getBytes(StandardCharsets.UTF_8),
                        ("{\"callId\":\"" + callId + "\"}").getBytes(StandardCharsets.UTF_8))).get();
            }
            Awaitility.await().atMost(WAIT).until(() -> registry.contains(callId));

            assertThat(post(interested(callId)).statusCode()).isEqualTo(202);
            awaitCaughtUp("dialer-bridge-dispositions");

            assertThat(publishedEvents()).doesNotContainKey(callId);
        }
    }

    @Nested
    class KafkaInput {

        private KafkaTopicReader deadLetters;

        @BeforeEach
        void read() {
            deadLetters = new KafkaTopicReader(broker.bootstrapServers(), "dialer.dead-letter");
        }

        @AfterEach
        void close() {
            deadLetters.close();
        }

        @Test
        void aDispositionTheDialerWritesToKafkaIsPublished() throws Exception {
            String callId = callId();
            Map<String, Object> disposition = interested(callId);
            try (KafkaProducer<byte[], byte[]> producer = rawProducer()) {
                producer.send(new ProducerRecord<>("dialer.dispositions",
                        ((String) disposition.get("recordId")).getBytes(StandardCharsets.UTF_8),
                        JSON.writeValueAsBytes(disposition))).get();
            }

            assertThat(awaitPublished(List.of(callId)).get(callId)).hasSize(1);
        }

        @Test
        void anInvalidRecordIsDeadLetteredUnchangedWithTheReasons() throws Exception {
            String marker = UUID.randomUUID().toString();
            Map<String, Object> invalid = disposition(callId(), "not-an-id", "DO_NOT_CALL");
            invalid.remove("phone");
            invalid.put("marker", marker);
            byte[] invalidValue = JSON.writeValueAsBytes(invalid);
            byte[] malformedValue = ("{not json " + marker).getBytes(StandardCharsets.UTF_8);
            byte[] key = ("key-" + marker).getBytes(StandardCharsets.UTF_8);
            try (KafkaProducer<byte[], byte[]> producer = rawProducer()) {
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>("dialer.dispositions", key, invalidValue);
                record.headers().add("trace-id", "t-1".getBytes(StandardCharsets.UTF_8));
                producer.send(record).get();
                producer.send(new ProducerRecord<>("dialer.dispositions", key, malformedValue)).get();
            }

            List<ConsumerRecord<String, String>> letters = deadLetters.awaitUntil(records -> records.stream()
                    .filter(r -> r.value() != null && r.value().contains(marker)).count() == 2, WAIT).stream()
                    .filter(r -> r.value() != null && r.value().contains(marker)).toList();

            ConsumerRecord<String, String> invalidLetter = letters.stream()
                    .filter(r -> r.value().startsWith("{\"")).findFirst().orElseThrow();
            assertThat(invalidLetter.key()).isEqualTo("key-" + marker);
            assertThat(invalidLetter.value()).isEqualTo(new String(invalidValue, StandardCharsets.UTF_8));
            assertThat(KafkaTopicReader.header(invalidLetter, "trace-id")).isEqualTo("t-1");
            assertThat(KafkaTopicReader.header(invalidLetter, "dialer_dead_letter_reason"))
                    .isEqualTo("INVALID_DISPOSITION");
            assertThat(KafkaTopicReader.header(invalidLetter, "dialer_dead_letter_route"))
                    .isEqualTo("dispositions-publish");
            assertThat(KafkaTopicReader.header(invalidLetter, "dialer_dead_letter_source_topic"))
                    .isEqualTo("dialer.dispositions");
            assertThat(KafkaTopicReader.header(invalidLetter, "dialer_dead_letter_source_partition")).isNotNull();
            assertThat(KafkaTopicReader.header(invalidLetter, "dialer_dead_letter_source_offset")).isNotNull();
            List<String> fields = new ArrayList<>();
            json(KafkaTopicReader.header(invalidLetter, "dialer_dead_letter_detail"))
                    .forEach(error -> fields.add(error.get("field").asText()));
            assertThat(fields).containsExactlyInAnyOrder("recordId", "phone");

            ConsumerRecord<String, String> malformedLetter = letters.stream()
                    .filter(r -> r.value().startsWith("{not")).findFirst().orElseThrow();
            assertThat(malformedLetter.value()).isEqualTo(new String(malformedValue, StandardCharsets.UTF_8));
            assertThat(KafkaTopicReader.header(malformedLetter, "dialer_dead_letter_reason"))
                    .isEqualTo("MALFORMED_JSON");
        }
    }

    @Nested
    class Subscriber {

        @Test
        void aCamelSalesforceSubscriberReceivesThePublishedEvents() throws Exception {
            CamelReplayState.reset();
            List<Map<String, String>> received = new CopyOnWriteArrayList<>();
            try (DefaultCamelContext camel = new DefaultCamelContext()) {
                SalesforceComponent salesforce = new SalesforceComponent();
                salesforce.setLoginUrl(emulator.baseUrl());
                salesforce.setClientId(emulator.settings().clientId());
                salesforce.setClientSecret(emulator.settings().clientSecret());
                salesforce.setUserName(emulator.settings().username());
                salesforce.setPassword(emulator.settings().password());
                camel.addComponent("salesforce", salesforce);
                // Connected first, then the consumer under test: camel subscribes it exactly once (docs/emulator.md).
                camel.addRoutes(new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("salesforce:subscribe:data/CampaignChangeEvent").routeId("idle").log("${body}");
                    }
                });
                camel.start();
                Awaitility.await().atMost(WAIT)
                        .until(() -> emulator.streaming().subscriberCount("/data/CampaignChangeEvent") > 0);
                int subscribersBefore = emulator.streaming().subscriberCount(CHANNEL);
                camel.addRoutes(new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("salesforce:subscribe:event/Call_Disposition__e?replayId=-1").routeId("subscriber")
                                .process(exchange -> received.add(
                                        exchange.getMessage().getBody(PlatformEvent.class).getEventData()));
                    }
                });
                Awaitility.await().atMost(WAIT)
                        .until(() -> emulator.streaming().subscriberCount(CHANNEL) > subscribersBefore);

                List<String> callIds = List.of(callId(), callId(), callId());
                assertThat(post(callIds.stream().map(DispositionsEndToEndIT::interested).toList()).statusCode())
                        .isEqualTo(202);

                Awaitility.await().atMost(WAIT).until(() -> received.stream()
                        .map(event -> event.get("Call_Id__c")).toList().containsAll(callIds));
                assertThat(received).filteredOn(event -> callIds.contains(event.get("Call_Id__c")))
                        .hasSize(3)
                        .allSatisfy(event -> assertThat(event).containsEntry("Disposition__c", "INTERESTED"));
            }
        }
    }

    @Nested
    class DoNotCall {

        private KafkaTopicReader commands;

        @BeforeEach
        void read() {
            commands = new KafkaTopicReader(broker.bootstrapServers(), "dialer.contact-commands",
                    "dialer.suppressions");
        }

        @AfterEach
        void close() {
            commands.close();
        }

        @Test
        void aDoNotCallDispositionSuppressesOnTheDialerSideWithoutWaitingForSalesforce() throws Exception {
            String callId = callId();
            String lead = leadId();
            // Salesforce is refusing everything: the suppression must not wait for it.
            salesforceBusy(1000);

            assertThat(post(disposition(callId, lead, "DO_NOT_CALL")).statusCode()).isEqualTo(202);

            List<ConsumerRecord<String, String>> received = commands.awaitUntil(records -> records.stream()
                    .filter(r -> r.key().equals(lead) || r.key().equals("record:" + lead)).count() >= 2, WAIT);
            assertThat(publishedEvents()).as("suppressed before Salesforce has the event").doesNotContainKey(callId);
            salesforceBusy(0);

            ConsumerRecord<String, String> suppress = received.stream()
                    .filter(r -> r.topic().equals("dialer.contact-commands") && r.key().equals(lead))
                    .findFirst().orElseThrow();
            assertThat(KafkaTopicReader.header(suppress, "ce_type")).isEqualTo("dialer.contact.suppress");
            assertThat(KafkaTopicReader.header(suppress, "ce_specversion")).isEqualTo("1.0");
            assertThat(KafkaTopicReader.header(suppress, "ce_subject")).isEqualTo(lead);
            assertThat(KafkaTopicReader.header(suppress, "ce_id")).isEqualTo("disposition:" + callId);
            assertThat(KafkaTopicReader.header(suppress, "ce_source")).isEqualTo("/dialer/dispositions");
            assertThat(KafkaTopicReader.header(suppress, "ce_time")).isEqualTo("2026-11-27T15:06:10Z");
            assertThat(KafkaTopicReader.header(suppress, "content-type")).isEqualTo("application/json");
            JsonNode data = json(suppress.value());
            assertThat(data.get("recordId").asText()).isEqualTo(lead);
            assertThat(data.get("reason").asText()).isEqualTo("DISPOSITION");
            assertThat(data.get("scope").asText()).isEqualTo("CONTACT");
            assertThat(data.get("phones").get(0).asText()).isEqualTo("+14155550134");
            Awaitility.await().atMost(WAIT).until(() -> meters.find("dialer.commands")
                    .tag("type", "dialer.contact.suppress").counter() != null);

            List<ConsumerRecord<String, String>> rows = commands.awaitUntil(records -> records.stream()
                    .filter(r -> r.topic().equals("dialer.suppressions")
                            && (r.key().equals("record:" + lead) || r.key().equals("phone:+14155550134")))
                    .count() >= 2, WAIT);
            ConsumerRecord<String, String> row = rows.stream()
                    .filter(r -> r.key().equals("record:" + lead)).findFirst().orElseThrow();
            assertThat(json(row.value()).get("reason").asText()).isEqualTo("DISPOSITION");

            // Once Salesforce is back, the event is published too.
            assertThat(awaitPublished(List.of(callId)).get(callId)).hasSize(1);
        }

        /** A phone number of its own for each test, so tests never see each other's rows. */
        String phone() {
            return "+1415555" + String.format("%04d", SEQUENCE.incrementAndGet() % 10_000);
        }

        @Test
        void aDoNotCallDispositionWithTooLongNotesStillSuppresses() throws Exception {
            String callId = callId();
            String lead = leadId();
            String phone = phone();
            Map<String, Object> disposition = disposition(callId, lead, "DO_NOT_CALL");
            disposition.put("phone", phone);
            disposition.put("notes", "x".repeat(4001));
            KafkaTopicReader deadLetters = new KafkaTopicReader(broker.bootstrapServers(), "dialer.dead-letter");
            try {
                HttpResponse<String> response = post(List.of(interested(callId()), disposition));

                // The request is refused, naming the field, and says the do-not-call was kept.
                assertThat(response.statusCode()).isEqualTo(400);
                JsonNode problem = json(response.body());
                assertThat(problem.get("errors")).hasSize(1);
                assertThat(problem.at("/errors/0/field").asText()).isEqualTo("[1].notes");
                assertThat(problem.get("detail").asText()).contains("[1] (DO_NOT_CALL) was recorded all the same");
                // The dialer is told not to call the person and the number.
                List<ConsumerRecord<String, String>> received = commands.awaitUntil(records -> records.stream()
                        .filter(r -> r.key().equals(lead) || r.key().equals("record:" + lead)
                                || r.key().equals("phone:" + phone)).count() >= 3, WAIT);
                ConsumerRecord<String, String> suppress = received.stream()
                        .filter(r -> r.topic().equals("dialer.contact-commands") && r.key().equals(lead))
                        .findFirst().orElseThrow();
                assertThat(KafkaTopicReader.header(suppress, "ce_type")).isEqualTo("dialer.contact.suppress");
                assertThat(KafkaTopicReader.header(suppress, "ce_id")).isEqualTo("disposition:" + callId);
                assertThat(json(suppress.value()).get("phones").get(0).asText()).isEqualTo(phone);
                // The disposition itself is dead-lettered with its reason, and never published.
                ConsumerRecord<String, String> letter = deadLetters.awaitUntil(records -> records.stream()
                        .anyMatch(r -> r.value() != null && r.value().contains(callId)), WAIT).stream()
                        .filter(r -> r.value() != null && r.value().contains(callId)).findFirst().orElseThrow();
                assertThat(KafkaTopicReader.header(letter, "dialer_dead_letter_reason"))
                        .isEqualTo("INVALID_DISPOSITION");
                assertThat(KafkaTopicReader.header(letter, "dialer_dead_letter_detail")).contains("notes");
                awaitCaughtUp("dialer-bridge-dispositions");
                assertThat(publishedEvents()).doesNotContainKey(callId);
            } finally {
                deadLetters.close();
            }
        }

        @Test
        void aDoNotCallDispositionWithOnlyAPhoneSuppressesTheNumber() throws Exception {
            String callId = callId();
            String phone = phone();
            Map<String, Object> disposition = disposition(callId, "001000000000000AAA", "DO_NOT_CALL");
            disposition.put("phone", phone);
            try (KafkaProducer<byte[], byte[]> producer = rawProducer()) {
                producer.send(new ProducerRecord<>("dialer.dispositions", phone.getBytes(StandardCharsets.UTF_8),
                        JSON.writeValueAsBytes(disposition))).get();
            }

            List<ConsumerRecord<String, String>> received = commands.awaitUntil(records -> records.stream()
                    .filter(r -> r.key().equals(phone) || r.key().equals("phone:" + phone)).count() >= 2, WAIT);

            ConsumerRecord<String, String> suppress = received.stream()
                    .filter(r -> r.topic().equals("dialer.contact-commands") && r.key().equals(phone))
                    .findFirst().orElseThrow();
            assertThat(KafkaTopicReader.header(suppress, "ce_type")).isEqualTo("dialer.contact.suppress");
            assertThat(KafkaTopicReader.header(suppress, "ce_subject")).isEqualTo(phone);
            assertThat(KafkaTopicReader.header(suppress, "ce_id")).isEqualTo("disposition:" + callId);
            JsonNode data = json(suppress.value());
            assertThat(data.get("recordId").isNull()).isTrue();
            assertThat(data.get("phones").get(0).asText()).isEqualTo(phone);
            assertThat(data.get("scope").asText()).isEqualTo("NUMBER");
            assertThat(data.get("reason").asText()).isEqualTo("DISPOSITION");
            assertThat(received).anyMatch(r -> r.topic().equals("dialer.suppressions")
                    && r.key().equals("phone:" + phone));
        }
    }
}
