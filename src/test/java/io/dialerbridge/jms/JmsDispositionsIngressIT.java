package io.dialerbridge.jms;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dialerbridge.KafkaTopicReader;
import io.dialerbridge.LocalBridgeContext;
import io.dialerbridge.local.kafka.EmbeddedKafkaBroker;
import io.dialerbridge.salesforce.SalesforceId;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * {@code jms-dispositions-ingress} end to end: dispositions put on a queue of a real embedded Artemis broker reach the
 * dispositions topic of a real embedded Kafka broker, with the dispositions routes running, and a poison message is
 * dead-lettered with its reason instead of blocking the queue.
 */
// Its own context: only the JMS and dispositions routes, JMS egress off; closed after the class rather
// than kept idle in the cache with its emulator and brokers.
@DirtiesContext
@LocalBridgeContext(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@TestPropertySource(properties = {
    "spring.artemis.embedded.data-directory=target/test-artemis/${random.uuid}",
    "dialer.jms.enabled=true",
    "dialer.jms.egress.enabled=false",
    "camel.main.routes-include-pattern=file:routes/jms-*.camel.yaml,file:routes/dispositions-*.camel.yaml,"
        + "file:routes/errors/jms-*.camel.yaml,file:routes/errors/dispositions-*.camel.yaml"
})
class JmsDispositionsIngressIT {

    static final String QUEUE = "dialer.dispositions";
    static final Duration WAIT = Duration.ofSeconds(60);
    static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    EmbeddedKafkaBroker kafka;
    @Autowired
    ConnectionFactory connectionFactory;
    @Autowired
    CamelContext camel;

    @BeforeEach
    void started() {
        Awaitility.await().atMost(WAIT).until(() -> camel.getRouteController()
                .getRouteStatus("jms-dispositions-ingress") == ServiceStatus.Started);
    }

    @Test
    void aQueuedDispositionReachesTheDispositionsTopicKeyedByThePerson() throws Exception {
        String lead = SalesforceId.to18("00Q" + String.format("%012d", System.nanoTime() % 1_000_000_000_000L));
        String callId = "c-" + UUID.randomUUID();
        put(JSON.writeValueAsString(disposition(callId, lead, "FOLLOW_UP_LATER")));

        try (KafkaTopicReader reader = new KafkaTopicReader(kafka.bootstrapServers(), "dialer.dispositions")) {
            List<ConsumerRecord<String, String>> records = reader.awaitUntil(read -> read.stream()
                    .anyMatch(record -> record.value().contains(callId)), WAIT);
            ConsumerRecord<String, String> record = records.stream()
                    .filter(candidate -> candidate.value().contains(callId)).findFirst().orElseThrow();
            assertThat(record.key()).isEqualTo(lead);
        }
        assertQueueEmpty();
    }

    @Test
    void aPoisonMessageOnTheQueueIsDeadLetteredWithItsReasonAndTheNextOneStillArrives() throws Exception {
        String poison = "not json " + UUID.randomUUID();
        put(poison);
        String invalidCall = "c-" + UUID.randomUUID();
        Map<String, Object> invalid = disposition(invalidCall, "not-an-id", "FOLLOW_UP_LATER");
        put(JSON.writeValueAsString(invalid));
        String lead = SalesforceId.to18("00Q" + String.format("%012d", System.nanoTime() % 1_000_000_000_000L));
        String goodCall = "c-" + UUID.randomUUID();
        put(JSON.writeValueAsString(disposition(goodCall, lead, "NO_ANSWER")));

        try (KafkaTopicReader reader = new KafkaTopicReader(kafka.bootstrapServers(), "dialer.dead-letter",
                "dialer.dispositions")) {
            List<ConsumerRecord<String, String>> records = reader.awaitUntil(read ->
                    read.stream().anyMatch(record -> record.value().equals(poison))
                    && read.stream().anyMatch(record -> record.topic().equals("dialer.dead-letter")
                            && record.value().contains(invalidCall))
                    && read.stream().anyMatch(record -> record.topic().equals("dialer.dispositions")
                            && record.value().contains(goodCall)), WAIT);
            ConsumerRecord<String, String> poisoned = records.stream()
                    .filter(record -> record.value().equals(poison)).findFirst().orElseThrow();
            assertThat(poisoned.topic()).isEqualTo("dialer.dead-letter");
            assertThat(KafkaTopicReader.header(poisoned, "dialer_dead_letter_reason")).isEqualTo("MALFORMED_JSON");
            assertThat(KafkaTopicReader.header(poisoned, "dialer_dead_letter_route"))
                    .isEqualTo("jms-dispositions-ingress");
            ConsumerRecord<String, String> refused = records.stream()
                    .filter(record -> record.topic().equals("dialer.dead-letter")
                            && record.value().contains(invalidCall)).findFirst().orElseThrow();
            assertThat(KafkaTopicReader.header(refused, "dialer_dead_letter_reason"))
                    .isEqualTo("INVALID_DISPOSITION");
            assertThat(KafkaTopicReader.header(refused, "dialer_dead_letter_detail")).contains("recordId");
        }
        assertQueueEmpty();
    }

    @Test
    void anInvalidDoNotCallFromTheQueueStillSuppressesThePerson() throws Exception {
        String lead = SalesforceId.to18("00Q" + String.format("%012d", System.nanoTime() % 1_000_000_000_000L));
        Map<String, Object> doNotCall = disposition("c-" + UUID.randomUUID(), lead, "DO_NOT_CALL");
        doNotCall.put("durationSeconds", -5);
        put(JSON.writeValueAsString(doNotCall));

        try (KafkaTopicReader reader = new KafkaTopicReader(kafka.bootstrapServers(), "dialer.contact-commands")) {
            reader.awaitUntil(read -> read.stream().anyMatch(record -> lead.equals(record.key())
                    && "dialer.contact.suppress".equals(KafkaTopicReader.header(record, "ce_type"))), WAIT);
        }
        assertQueueEmpty();
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
        return disposition;
    }

    void put(String text) {
        try (JMSContext context = connectionFactory.createContext(JMSContext.AUTO_ACKNOWLEDGE)) {
            context.createProducer().send(context.createQueue(QUEUE), text);
        }
    }

    /** Every message was acknowledged: nothing waits for redelivery. */
    void assertQueueEmpty() {
        Awaitility.await().atMost(WAIT).untilAsserted(() -> {
            try (JMSContext context = connectionFactory.createContext(JMSContext.AUTO_ACKNOWLEDGE);
                    JMSConsumer browser = context.createConsumer(context.createQueue(QUEUE))) {
                // A consumer next to the route's: it gets a message only if one is left unacknowledged (redelivered).
                assertThat(browser.receive(300)).isNull();
            }
        });
    }
}
