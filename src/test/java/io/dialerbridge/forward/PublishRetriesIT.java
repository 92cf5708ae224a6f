package io.dialerbridge.forward;

import static io.dialerbridge.forward.FailingProducers.FAILING;
import static io.dialerbridge.forward.FailingProducers.fail;
import static org.assertj.core.api.Assertions.assertThat;

import io.dialerbridge.KafkaTopicReader;
import io.dialerbridge.LocalBridgeContext;
import io.dialerbridge.emulator.SalesforceEmulator;
import io.dialerbridge.emulator.data.RecordStore;
import io.dialerbridge.emulator.data.SObjectType;
import io.dialerbridge.local.kafka.EmbeddedKafkaBroker;
import io.dialerbridge.replay.ReplayCheckpoints;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * What the forward flow does when Kafka refuses a channel's transaction: it is aborted, its events are screened
 * again and sent again in full, to the right topics, once Kafka takes them; records Kafka refuses for good
 * dead-letter their event and the stream moves on. The failures are injected into the producer's sends of records
 * about chosen contacts ({@link FailingProducers}; the broker itself stays up).
 */
// Its own context: the dispositions' suppress wait of 20 ms is no other test's setting; closed after
// the class rather than kept idle in the cache with its emulator and broker.
@DirtiesContext
@LocalBridgeContext
@ContactStreamOnly
@TestPropertySource(properties = {
    "dialer.dispositions.suppress.wait-ms=20"
})
@Import(FailingProducers.InTheBridge.class)
class PublishRetriesIT {

    private static final String USER = "005000000000001AAA";
    private static final String CHANNEL = "/data/ContactChangeEvent";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    SalesforceEmulator emulator;
    @Autowired
    EmbeddedKafkaBroker broker;
    @Autowired
    ReplayCheckpoints checkpoints;
    @Autowired
    MeterRegistry meters;

    private KafkaTopicReader topics;

    @BeforeEach
    void awaitTheStream() {
        Awaitility.await().atMost(WAIT).until(() -> emulator.streaming().subscriberCount(CHANNEL) > 0);
        topics = new KafkaTopicReader(broker.bootstrapServers(), "dialer.contact-commands", "dialer.dead-letter",
                "dialer.suppressions");
    }

    @AfterEach
    void close() {
        topics.close();
        FAILING.clear();
    }

    private String createContact(String lastName, String phone) {
        RecordStore.Transaction transaction = emulator.records().begin(USER, "test");
        String id = transaction.create(SObjectType.CONTACT, Map.of("LastName", lastName, "Phone", phone,
                "DoNotCall", false));
        transaction.commit();
        return id;
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
                "+14155550101", "DoNotCall", false)), 3, () -> new TimeoutException("broker away"),
                PublishRetriesIT::isCommand);
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
                () -> new RecordTooLargeException("too large for the broker"), PublishRetriesIT::isCommand);
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

    /**
     * Issue 10, Why 2: DoNotCall cleared, then set again, while Kafka refuses the unsuppress for a while. The
     * suppression waits behind the unsuppress and reaches the dialer after it, never before.
     */
    @Test
    void aSuppressionIsNeverOvertakenByTheOlderUnsuppressKafkaRefusedForAWhile() {
        RecordStore.Transaction create = emulator.records().begin(USER, "test");
        String person = create.create(SObjectType.CONTACT, Map.of("LastName", "Flip", "Phone", "+14155550106",
                "DoNotCall", true));
        create.commit();
        topics.awaitUntil(records -> !about(records, person).isEmpty(), WAIT);
        fail(person, 5, () -> new TimeoutException("broker away"),
                record -> "dialer.contact.unsuppress".equals(header(record, "ce_type")));

        long readsBefore = reads(person);
        RecordStore.Transaction clear = emulator.records().begin(USER, "test");
        clear.update(SObjectType.CONTACT, person, Map.of("DoNotCall", false));
        clear.commit();
        // The suppression comes once the bridge has read the person for the lift: had Salesforce said DoNotCall
        // again by then, the lift would be dropped and no unsuppress would leave (docs/dnc.md).
        Awaitility.await().atMost(WAIT).until(() -> reads(person) > readsBefore);
        RecordStore.Transaction set = emulator.records().begin(USER, "test");
        set.update(SObjectType.CONTACT, person, Map.of("DoNotCall", true));
        set.commit();
        String e2Suppress = CHANNEL + ":" + emulator.bus().lastReplayId();

        List<ConsumerRecord<String, String>> received = topics.awaitUntil(records -> records.stream()
                .anyMatch(record -> e2Suppress.equals(KafkaTopicReader.header(record, "ce_id"))), WAIT);

        assertThat(FAILING.get(person).thrown()).hasValue(5);
        List<ConsumerRecord<String, String>> commands = about(received, person).stream()
                .filter(record -> record.topic().equals("dialer.contact-commands")).toList();
        List<String> types = commands.stream().map(record -> KafkaTopicReader.header(record, "ce_type")).toList();
        List<String> ids = commands.stream().map(record -> KafkaTopicReader.header(record, "ce_id")).toList();
        // The unsuppress (and what its lift re-sends from Salesforce) before the suppression, nothing after it.
        assertThat(types).containsOnlyOnce("dialer.contact.unsuppress");
        assertThat(types.indexOf("dialer.contact.unsuppress")).isLessThan(ids.indexOf(e2Suppress));
        assertThat(ids.get(ids.size() - 1)).isEqualTo(e2Suppress);
        List<ConsumerRecord<String, String>> rows = about(received, "record:" + person);
        assertThat(rows.get(rows.size() - 1).value()).as("the suppressions table ends suppressed").isNotNull();
    }

    /**
     * Issue 10, Why 2: an upsert screened before a DO_NOT_CALL disposition's suppression, whose transaction Kafka
     * then refused, must not reach the dialer after the suppression when it is finally sent: it is screened again.
     */
    @Test
    void anUpsertWhoseTransactionAbortedIsScreenedAgainAndBlockedByASuppressionThatCameMeanwhile() throws Exception {
        String person = createContact("Rescreened", "+14155550104");
        topics.awaitUntil(records -> !about(records, person).isEmpty(), WAIT);
        double blockedBefore = blockedUpserts();
        // The person's next upsert is screened (and passes: nobody suppressed the person yet), then Kafka refuses it.
        fail(person, Integer.MAX_VALUE, () -> new TimeoutException("broker away"),
                record -> "dialer.contact.upsert".equals(header(record, "ce_type")));
        RecordStore.Transaction edit = emulator.records().begin(USER, "test");
        edit.update(SObjectType.CONTACT, person, Map.of("Email", "rescreened@example.com"));
        edit.commit();
        Awaitility.await().atMost(WAIT).until(() -> FAILING.get(person).thrown().get() > 0);

        // Meanwhile the dialer reports the person asked not to be called again.
        try (KafkaProducer<String, String> dialer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            dialer.send(new ProducerRecord<>("dialer.dispositions", person, """
                    {"callId": "rescreen-1", "recordId": "%s", "disposition": "DO_NOT_CALL",
                     "phone": "+14155550104", "startedAt": "2026-11-27T15:04:05Z",
                     "endedAt": "2026-11-27T15:06:10Z", "durationSeconds": 125}""".formatted(person)))
                    .get(30, TimeUnit.SECONDS);
        }
        topics.awaitUntil(records -> about(records, person).stream().anyMatch(record ->
                "dialer.contact.suppress".equals(KafkaTopicReader.header(record, "ce_type"))), WAIT);
        // Kafka takes the channel's records again; an event behind the upsert's shows when it has gone through.
        FAILING.get(person).left().set(0);
        String marker = createContact("Behind", "+14155550105");

        List<ConsumerRecord<String, String>> received = topics.awaitUntil(
                records -> !about(records, marker).isEmpty(), WAIT);

        assertThat(about(received, person).stream().filter(record -> record.topic().equals("dialer.contact-commands"))
                .map(record -> KafkaTopicReader.header(record, "ce_type")))
                .containsExactly("dialer.contact.upsert", "dialer.contact.suppress");
        assertThat(blockedUpserts()).isGreaterThan(blockedBefore);
    }

    /** The event's command, not the person-numbers row it also writes under the person's key. */
    private static boolean isCommand(ProducerRecord<String, String> record) {
        return record.topic().equals("dialer.contact-commands");
    }

    private double blockedUpserts() {
        var counter = meters.find("dialer.guard.blocked").tag("type", "dialer.contact.upsert").counter();
        return counter == null ? 0 : counter.count();
    }

    private static String header(ProducerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** How often the bridge has read the person over REST (a lift's refetch reads it). */
    private long reads(String person) {
        return emulator.traffic().calls().entrySet().stream()
                .filter(call -> call.getKey().startsWith("GET ") && call.getKey().endsWith("/" + person))
                .mapToLong(Map.Entry::getValue).sum();
    }
}
