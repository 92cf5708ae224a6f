package io.dialerbridge.disposition;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dialerbridge.DialerBridgeApplication;
import io.dialerbridge.ProductionArguments;
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
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The dispositions flow stopped and started again against a Salesforce org and a Kafka estate that stay up: what
 * Salesforce accepted before the stop is not published again after it, on both transports (sObject Collections and
 * the Pub/Sub API's Publish).
 */
class DispositionsRestartIT {

    private static final String CHANNEL = "/event/Call_Disposition__e";
    private static final String COLLECTIONS = "POST /services/data/v56.0/composite/sobjects";
    private static final String PUBLISH = "RPC eventbus.v1.PubSub/Publish";
    private static final String LEAD = "00Q5f000004XyZaEAK";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private SalesforceEmulator emulator;
    private EmbeddedKafkaBroker broker;
    private ConfigurableApplicationContext bridge;

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
        broker.close();
        emulator.close();
    }

    private void startBridge(String transport) {
        List<String> arguments = new ArrayList<>(
                ProductionArguments.against(emulator, broker, "restart-test-api-key-0001"));
        arguments.addAll(List.of("--dialer.dispositions.transport=" + transport,
                "--camel.component.salesforce.pub-sub-host=" + emulator.pubSubHost(),
                "--camel.component.salesforce.pub-sub-port=" + emulator.pubSubPort()));
        arguments.addAll(List.of("--server.port=0",
                "--camel.main.routes-include-pattern=file:routes/dispositions-*.camel.yaml,"
                        + "file:routes/errors/dispositions-*.camel.yaml",
                // Retries that outlast the stop, quickly; and a stop that does not wait for them.
                "--dialer.dispositions.retry.attempts=1000",
                "--dialer.dispositions.retry.initial-delay-ms=100",
                "--dialer.dispositions.retry.max-delay-ms=300",
                "--camel.main.shutdown-timeout=1"));
        bridge = new SpringApplicationBuilder(DialerBridgeApplication.class).run(arguments.toArray(String[]::new));
    }

    private static Map<String, Object> disposition(String callId) {
        Map<String, Object> disposition = new LinkedHashMap<>();
        disposition.put("callId", callId);
        disposition.put("recordId", LEAD);
        disposition.put("disposition", "INTERESTED");
        disposition.put("phone", "+14155550134");
        disposition.put("endedAt", "2026-11-27T15:06:10Z");
        return disposition;
    }

    /** How many Call_Disposition__e events the org has per call id. */
    private Map<String, Integer> eventsPerCall() {
        Map<String, Integer> counts = new TreeMap<>();
        for (StreamingEvent event : emulator.bus().eventsAfter(CHANNEL, 0, Integer.MAX_VALUE)) {
            @SuppressWarnings("unchecked")
            Map<String, Object> payload = (Map<String, Object>) event.data().get("payload");
            counts.merge((String) payload.get("Call_Id__c"), 1, Integer::sum);
        }
        return counts;
    }

    /** The calls that publish over this transport: sObject Collections requests, or Pub/Sub Publish calls. */
    private long publishCalls(String transport) {
        return emulator.traffic().calls().getOrDefault(transport.equals("pubsub") ? PUBLISH : COLLECTIONS, 0L);
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"rest", "pubsub"})
    void aCallAcceptedBeforeACrashIsNotPublishedTwice(String transport) throws Exception {
        // One batch of three on one partition, there before the bridge starts: Salesforce takes two and, for now,
        // refuses the third.
        broker.createTopics(List.of(new NewTopic("dialer.dispositions", 3, (short) 1)));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()))) {
            for (String callId : List.of("call-accepted-1", "call-refused", "call-accepted-2")) {
                producer.send(new ProducerRecord<>("dialer.dispositions", LEAD.getBytes(StandardCharsets.UTF_8),
                        JSON.writeValueAsBytes(disposition(callId))));
            }
            producer.flush();
        }
        emulator.platformEvents().refuseEventsWhere("Call_Id__c", "call-refused", "PLATFORM_EVENT_PUBLISH_FAILED");

        startBridge(transport);
        Awaitility.await().atMost(WAIT).until(() -> eventsPerCall().keySet()
                .containsAll(List.of("call-accepted-1", "call-accepted-2")));
        long answered = publishCalls(transport);
        Awaitility.await().atMost(WAIT).until(() -> publishCalls(transport) >= answered + 2);
        // Stopped while it retries the refused event: the batch's offsets are not committed.
        bridge.close();
        bridge = null;
        emulator.platformEvents().refuseNone();
        startBridge(transport);

        Awaitility.await().atMost(WAIT).until(() -> eventsPerCall().containsKey("call-refused"));
        assertThat(eventsPerCall()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "call-accepted-1", 1, "call-refused", 1, "call-accepted-2", 1));
        if (transport.equals("pubsub")) {
            assertThat(publishCalls("rest")).as("REST API calls spent on dispositions").isZero();
        }
    }
}
