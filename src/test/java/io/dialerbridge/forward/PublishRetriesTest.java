package io.dialerbridge.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.dialerbridge.KafkaTopicReader;
import io.dialerbridge.emulator.SalesforceEmulator;
import io.dialerbridge.emulator.data.RecordStore;
import io.dialerbridge.emulator.data.SObjectType;
import io.dialerbridge.local.kafka.EmbeddedKafkaBroker;
import io.dialerbridge.replay.ReplayCheckpoints;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;

/**
 * What the forward flow does when Kafka refuses a batch: a retriable error is waited out and the batch is sent again
 * in full, to the right topics; any other error dead-letters the event and the stream moves on. The failures are
 * injected just before camel-kafka sends (the broker itself stays up), for the batches about chosen contacts.
 */
@DirtiesContext
@SpringBootTest(properties = {
    "spring.profiles.active=local",
    "emulator.port=0",
    "embedded-kafka.port=0",
    "embedded-kafka.data-directory=target/test-kafka/${random.uuid}",
    "camel.main.routes-reload-enabled=false",
    "server.port=0",
    "demo.enabled=false",
    "dialer.kafka.retry-delay-ms=20",
    "dialer.streams.lead-pushtopic.enabled=false",
    "dialer.streams.campaign-member-cdc.enabled=false",
    "dialer.streams.dialer-control-generic.enabled=false",
    "dialer.streams.dialer-command-events.enabled=false"
})
class PublishRetriesTest {

    private static final String USER = "005000000000001AAA";
    private static final String CHANNEL = "/data/ContactChangeEvent";
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** Per contact id: the failures still to throw for batches about it, and what to throw. */
    private static final Map<String, Failures> FAILING = new ConcurrentHashMap<>();

    private record Failures(AtomicInteger left, AtomicInteger thrown, Supplier<RuntimeException> failure) {
    }

    @Autowired
    SalesforceEmulator emulator;
    @Autowired
    EmbeddedKafkaBroker broker;
    @Autowired
    CamelContext camel;
    @Autowired
    ReplayCheckpoints checkpoints;

    private KafkaTopicReader topics;

    @BeforeEach
    void injectFailuresBeforeKafka() throws Exception {
        if (camel.getRoute("send-dialer-batch").getProperties().get("failures-injected") == null) {
            AdviceWith.adviceWith(camel, "send-dialer-batch", route -> route.weaveByToUri("kafka:*").before()
                    .process(PublishRetriesTest::failIfAsked));
            camel.getRoute("send-dialer-batch").getProperties().put("failures-injected", true);
        }
        Awaitility.await().atMost(WAIT).until(() -> emulator.streaming().subscriberCount(CHANNEL) > 0);
        topics = new KafkaTopicReader(broker.bootstrapServers(), "dialer.contact-commands", "dialer.dead-letter",
                "dialer.suppressions");
    }

    @AfterEach
    void close() {
        topics.close();
        FAILING.clear();
    }

    private static void failIfAsked(Exchange exchange) {
        for (Object body : exchange.getMessage().getBody(List.class)) {
            Message record = (Message) body;
            Failures failures = FAILING.get(String.valueOf(record.getHeader(KafkaConstants.KEY)));
            if (failures != null && failures.left().getAndDecrement() > 0) {
                failures.thrown().incrementAndGet();
                throw failures.failure().get();
            }
        }
    }

    private String createContact(String lastName, String phone) {
        RecordStore.Transaction transaction = emulator.records().begin(USER, "test");
        String id = transaction.create(SObjectType.CONTACT, Map.of("LastName", lastName, "Phone", phone,
                "DoNotCall", false));
        transaction.commit();
        return id;
    }

    private String fail(String contact, int times, Supplier<RuntimeException> failure) {
        FAILING.put(contact, new Failures(new AtomicInteger(times), new AtomicInteger(), failure));
        return contact;
    }

    private static boolean isDeadLetterAbout(ConsumerRecord<String, String> record, String id) {
        return record.topic().equals("dialer.dead-letter") && record.value().contains(id);
    }

    private static List<ConsumerRecord<String, String>> about(List<ConsumerRecord<String, String>> records,
            String key) {
        return records.stream().filter(record -> key.equals(record.key())).toList();
    }

    @Test
    void aBatchKafkaRefusesForAWhileIsSentAgainInFullAndNothingIsDeadLettered() {
        // The failures are registered before the commit that makes the event.
        RecordStore.Transaction transaction = emulator.records().begin(USER, "test");
        String id = fail(transaction.create(SObjectType.CONTACT, Map.of("LastName", "Patient", "Phone",
                "+14155550101", "DoNotCall", false)), 3, () -> new TimeoutException("broker away"));
        transaction.commit();

        List<ConsumerRecord<String, String>> received = topics.awaitUntil(records -> !about(records, id).isEmpty(),
                WAIT);

        assertThat(FAILING.get(id).thrown()).hasValue(3);
        assertThat(about(received, id)).extracting(ConsumerRecord::topic).containsOnly("dialer.contact-commands");
        assertThat(KafkaTopicReader.header(about(received, id).get(0), "ce_type")).isEqualTo("dialer.contact.upsert");
        assertThat(received).noneMatch(record -> isDeadLetterAbout(record, id));
    }

    @Test
    void aBatchKafkaRefusesForGoodIsDeadLetteredWithTheReasonAndTheStreamMovesOn() {
        RecordStore.Transaction transaction = emulator.records().begin(USER, "test");
        String refused = fail(transaction.create(SObjectType.CONTACT, Map.of("LastName", "Huge", "Phone",
                "+14155550102", "DoNotCall", false)), Integer.MAX_VALUE,
                () -> new RecordTooLargeException("too large for the broker"));
        transaction.commit();
        String after = createContact("Next", "+14155550103");

        List<ConsumerRecord<String, String>> received = topics.awaitUntil(records -> !about(records, after).isEmpty()
                && records.stream().anyMatch(record -> isDeadLetterAbout(record, refused)), WAIT);

        assertThat(FAILING.get(refused).thrown()).hasValue(1);
        ConsumerRecord<String, String> deadLetter = received.stream()
                .filter(record -> isDeadLetterAbout(record, refused)).findFirst().orElseThrow();
        assertThat(KafkaTopicReader.header(deadLetter, "dialer_dead_letter_reason"))
                .isEqualTo("RecordTooLargeException");
        assertThat(KafkaTopicReader.header(deadLetter, "dialer_dead_letter_channel")).isEqualTo(CHANNEL);
        assertThat(about(received, refused)).isEmpty();
        long lastEvent = emulator.bus().lastReplayId();
        Awaitility.await().atMost(WAIT).until(() -> checkpoints.checkpoints().getOrDefault(CHANNEL, 0L) >= lastEvent);
    }
}
