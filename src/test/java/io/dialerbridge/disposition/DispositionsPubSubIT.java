package io.dialerbridge.disposition;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dialerbridge.DialerBridgeApplication;
import io.dialerbridge.KafkaTopicReader;
import io.dialerbridge.ProductionArguments;
import io.dialerbridge.emulator.ApiTraffic;
import io.dialerbridge.emulator.EmulatorSettings;
import io.dialerbridge.emulator.SalesforceEmulator;
import io.dialerbridge.emulator.streaming.StreamingEvent;
import io.dialerbridge.local.kafka.EmbeddedKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The dispositions flow with {@code dialer.dispositions.transport=pubsub}: the bridge in production mode publishes
 * {@code Call_Disposition__e} through the emulator's Pub/Sub {@code Publish} (TLS, camel's session), each call once,
 * an event Salesforce refuses for good dead-lettered while the rest of its batch publishes, a busy Pub/Sub API and an
 * expired token waited out, and not one REST API call spent on publishing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DispositionsPubSubIT {

    private static final String CHANNEL = "/event/Call_Disposition__e";
    private static final String COLLECTIONS = "POST /services/data/v56.0/composite/sobjects";
    private static final String PUBLISH = "RPC eventbus.v1.PubSub/Publish";
    private static final String LEAD = "00Q5f000004XyZaEAK";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private SalesforceEmulator emulator;
    private EmbeddedKafkaBroker broker;
    private ConfigurableApplicationContext bridge;
    private KafkaTopicReader deadLetters;

    @BeforeAll
    void start() throws Exception {
        emulator = new SalesforceEmulator(EmulatorSettings.dialerOrg()).start();
        broker = EmbeddedKafkaBroker.builder().port(0).start();
        bridge = new SpringApplicationBuilder(DialerBridgeApplication.class)
                .run(pubSubArguments(emulator, broker).toArray(String[]::new));
        deadLetters = new KafkaTopicReader(broker.bootstrapServers(), "dialer.dead-letter");
    }

    @AfterEach
    void healthy() {
        emulator.traffic().answerBusy(ApiTraffic.Api.PUBSUB, 0);
        emulator.platformEvents().refuseNone();
    }

    @AfterAll
    void stop() throws Exception {
        if (deadLetters != null) {
            deadLetters.close();
        }
        if (bridge != null) {
            bridge.close();
        }
        broker.close();
        emulator.close();
    }

    /** Production-mode settings with the dispositions routes only, publishing over the emulator's Pub/Sub API. */
    static List<String> pubSubArguments(SalesforceEmulator emulator, EmbeddedKafkaBroker broker) {
        List<String> arguments = new ArrayList<>(
                ProductionArguments.against(emulator, broker, "pubsub-dispositions-key-01"));
        arguments.addAll(List.of("--server.port=0",
                "--camel.main.routes-include-pattern=file:routes/dispositions-*.camel.yaml,"
                        + "file:routes/errors/dispositions-*.camel.yaml",
                "--dialer.dispositions.transport=pubsub",
                "--camel.component.salesforce.pub-sub-host=" + emulator.pubSubHost(),
                "--camel.component.salesforce.pub-sub-port=" + emulator.pubSubPort(),
                "--dialer.dispositions.retry.attempts=20",
                "--dialer.dispositions.retry.initial-delay-ms=100",
                "--dialer.dispositions.retry.max-delay-ms=500"));
        return arguments;
    }

    private static Map<String, Object> disposition(String callId) {
        Map<String, Object> disposition = new LinkedHashMap<>();
        disposition.put("callId", callId);
        disposition.put("recordId", LEAD);
        disposition.put("disposition", "FOLLOW_UP_LATER");
        disposition.put("phone", "+14155550134");
        disposition.put("endedAt", "2026-11-27T15:06:10Z");
        disposition.put("durationSeconds", 125);
        disposition.put("callbackAt", "2026-11-28T17:00:00Z");
        return disposition;
    }

    private static List<String> callIds(int count) {
        return IntStream.range(0, count).mapToObj(i -> "c-" + UUID.randomUUID()).toList();
    }

    private void send(List<String> callIds) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()))) {
            for (String callId : callIds) {
                // One key: one partition, so the records are one batch in order.
                producer.send(new ProducerRecord<>("dialer.dispositions", LEAD.getBytes(StandardCharsets.UTF_8),
                        JSON.writeValueAsBytes(disposition(callId))));
            }
            producer.flush();
        }
    }

    /** The Call_Disposition__e events the org has, by call id. */
    private Map<String, List<Map<String, Object>>> published() {
        Map<String, List<Map<String, Object>>> byCall = new TreeMap<>();
        for (StreamingEvent event : emulator.bus().eventsAfter(CHANNEL, 0, Integer.MAX_VALUE)) {
            @SuppressWarnings("unchecked")
            Map<String, Object> payload = (Map<String, Object>) event.data().get("payload");
            byCall.computeIfAbsent((String) payload.get("Call_Id__c"), id -> new ArrayList<>()).add(payload);
        }
        return byCall;
    }

    private Map<String, List<Map<String, Object>>> awaitPublished(List<String> callIds) {
        Awaitility.await().atMost(WAIT).until(() -> published().keySet().containsAll(callIds));
        Map<String, List<Map<String, Object>>> events = new TreeMap<>(published());
        events.keySet().retainAll(callIds);
        return events;
    }

    private long calls(String endpoint) {
        return emulator.traffic().calls().getOrDefault(endpoint, 0L);
    }

    @Test
    void eachCallIsPublishedOnceThroughPublishWithItsFieldsAndNoRestCall() throws Exception {
        List<String> callIds = callIds(30);
        long publishes = calls(PUBLISH);

        send(callIds);

        Map<String, List<Map<String, Object>>> events = awaitPublished(callIds);
        assertThat(events.values()).allSatisfy(perCall -> assertThat(perCall).hasSize(1));
        Map<String, Object> payload = events.get(callIds.get(0)).get(0);
        assertThat(payload).containsEntry("Disposition__c", "FOLLOW_UP_LATER")
                .containsEntry("Record_Id__c", LEAD)
                .containsEntry("Phone__c", "+14155550134")
                .containsEntry("Call_Ended_At__c", "2026-11-27T15:06:10.000Z")
                .containsEntry("Callback_At__c", "2026-11-28T17:00:00.000Z");
        assertThat(((Number) payload.get("Duration_Seconds__c")).intValue()).isEqualTo(125);
        assertThat(calls(PUBLISH)).isGreaterThan(publishes);
        assertThat(calls(COLLECTIONS)).as("REST API calls spent on dispositions").isZero();
    }

    @Test
    void anEventRefusedForGoodIsDeadLetteredAndTheRestOfItsBatchPublishedOnce() throws Exception {
        List<String> callIds = new ArrayList<>(callIds(5));
        String refused = callIds.get(2);
        emulator.platformEvents().refuseEventsWhere("Call_Id__c", refused, "INVALID_FIELD_FOR_INSERT_UPDATE");

        send(callIds);

        ConsumerRecord<String, String> letter = deadLetters.awaitUntil(records -> records.stream()
                .anyMatch(r -> r.value() != null && r.value().contains(refused)), WAIT).stream()
                .filter(r -> r.value() != null && r.value().contains(refused)).findFirst().orElseThrow();
        assertThat(KafkaTopicReader.header(letter, "dialer_dead_letter_reason")).isEqualTo("SALESFORCE_REJECTED");
        assertThat(KafkaTopicReader.header(letter, "dialer_dead_letter_detail"))
                .contains("INVALID_FIELD_FOR_INSERT_UPDATE");
        callIds.remove(refused);
        Map<String, List<Map<String, Object>>> events = awaitPublished(callIds);
        assertThat(events.values()).allSatisfy(perCall -> assertThat(perCall).hasSize(1));
        assertThat(published()).doesNotContainKey(refused);
    }

    @Test
    void anEventRefusedForNowIsRetriedAloneUntilAccepted() throws Exception {
        List<String> callIds = callIds(4);
        String held = callIds.get(1);
        emulator.platformEvents().refuseEventsWhere("Call_Id__c", held, "PLATFORM_EVENT_PUBLISH_FAILED");
        long publishes = calls(PUBLISH);

        send(callIds);
        awaitPublished(List.of(callIds.get(0), callIds.get(2), callIds.get(3)));
        Awaitility.await().atMost(WAIT).until(() -> calls(PUBLISH) >= publishes + 3);
        emulator.platformEvents().refuseNone();

        Map<String, List<Map<String, Object>>> events = awaitPublished(callIds);
        assertThat(events.values()).allSatisfy(perCall -> assertThat(perCall).hasSize(1));
    }

    @Test
    void aBusyPubSubApiIsWaitedOutAndEveryCallPublishedOnce() throws Exception {
        List<String> callIds = callIds(50);
        emulator.traffic().answerBusy(ApiTraffic.Api.PUBSUB, 3);

        send(callIds);

        Map<String, List<Map<String, Object>>> events = awaitPublished(callIds);
        assertThat(events.values()).allSatisfy(perCall -> assertThat(perCall).hasSize(1));
        assertThat(emulator.traffic().takeBusyAnswer(ApiTraffic.Api.PUBSUB)).as("busy answers left").isFalse();
    }

    @Test
    void anExpiredTokenLogsInAgainAndLosesAndRepeatsNothing() throws Exception {
        List<String> first = callIds(10);
        List<String> second = callIds(10);
        send(first);
        awaitPublished(first);

        emulator.tokens().expireAll();
        send(second);

        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        Map<String, List<Map<String, Object>>> events = awaitPublished(all);
        assertThat(events).hasSize(20);
        assertThat(events.values()).allSatisfy(perCall -> assertThat(perCall).hasSize(1));
    }
}
