package io.dialerbridge.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.dialerbridge.KafkaTopicReader;
import io.dialerbridge.LocalBridgeContext;
import io.dialerbridge.command.CommandType;
import io.dialerbridge.command.DialerCommand;
import io.dialerbridge.emulator.SalesforceEmulator;
import io.dialerbridge.emulator.data.RecordStore;
import io.dialerbridge.emulator.data.SObjectType;
import io.dialerbridge.local.kafka.EmbeddedKafkaBroker;
import io.dialerbridge.suppression.SuppressionEntry;
import io.dialerbridge.suppression.SuppressionGuard;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.CamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;

/**
 * Review finding 1: the Contact CDC channel and the DO_NOT_CALL dispositions write the same person's suppression
 * through two producers, which Kafka does not order with each other. The channel's lift is held in its producer
 * ({@link HeldProducers}) while a disposition suppresses the same person; the disposition must reach the topics
 * after the lift, never before, so the dialer and the suppressions table end suppressed.
 */
@LocalBridgeContext
@ContactStreamOnly
@Import(HeldProducers.InTheBridge.class)
class CrossChannelOrderIT {

    private static final String USER = "005000000000001AAA";
    private static final String CHANNEL = "/data/ContactChangeEvent";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Autowired
    SalesforceEmulator emulator;
    @Autowired
    EmbeddedKafkaBroker broker;
    @Autowired
    ChannelTransactions transactions;
    @Autowired
    SuppressionGuard guard;
    @Autowired
    CamelContext camel;

    private KafkaTopicReader topics;
    private final ExecutorService dispositions = Executors.newSingleThreadExecutor();

    @BeforeEach
    void awaitTheStream() {
        Awaitility.await().atMost(WAIT).until(() -> emulator.streaming().subscriberCount(CHANNEL) > 0);
        topics = new KafkaTopicReader(broker.bootstrapServers(), "dialer.contact-commands", "dialer.suppressions");
    }

    @AfterEach
    void close() {
        HeldProducers.reset();
        dispositions.shutdownNow();
        topics.close();
    }

    @Test
    void aDoNotCallDispositionDuringAnotherChannelsLiftReachesTheDialerAfterItAndThePersonStaysSuppressed()
            throws Exception {
        RecordStore.Transaction create = emulator.records().begin(USER, "test");
        String person = create.create(SObjectType.CONTACT, Map.of("LastName", "Crossed", "Phone", "+14155550177",
                "DoNotCall", true));
        create.commit();
        topics.awaitUntil(records -> records.stream().anyMatch(record -> ("record:" + person).equals(record.key())),
                WAIT);

        HeldProducers.hold(CHANNEL);
        RecordStore.Transaction clear = emulator.records().begin(USER, "test");
        clear.update(SObjectType.CONTACT, person, Map.of("DoNotCall", false));
        clear.commit();
        // The lift is screened, and its tombstone handed to the (slow) producer.
        Awaitility.await().atMost(WAIT).until(() -> HeldProducers.held().stream()
                .anyMatch(record -> ("record:" + person).equals(record.key()) && record.value() == null));

        DialerCommand disposition = doNotCall(person);
        AtomicReference<Thread> thread = new AtomicReference<>();
        Future<?> suppressing = dispositions.submit(() -> {
            thread.set(Thread.currentThread());
            transactions.publishDispositionSuppressions(List.of(disposition), new DefaultExchange(camel));
            return null;
        });
        // Either it waits for the lift's rows (the fix), or it has already gone ahead of them (the bug).
        Awaitility.await().atMost(WAIT).until(() -> suppressing.isDone() || waitsForRowsInFlight(thread.get()));
        HeldProducers.release();
        suppressing.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        // Both channels' rows and commands, whichever order they landed in.
        List<ConsumerRecord<String, String>> received = topics.awaitUntil(records -> records.stream()
                .anyMatch(record -> disposition.id().equals(KafkaTopicReader.header(record, "ce_id")))
                && records.stream().anyMatch(record -> person.equals(record.key())
                        && "dialer.contact.unsuppress".equals(KafkaTopicReader.header(record, "ce_type")))
                && records.stream().anyMatch(record -> ("record:" + person).equals(record.key())
                        && record.value() == null)
                && records.stream().anyMatch(record -> ("record:" + person).equals(record.key())
                        && record.value() != null && record.value().contains("DISPOSITION")), WAIT);
        List<String> commands = received.stream().filter(record -> record.topic().equals("dialer.contact-commands"))
                .filter(record -> person.equals(record.key()))
                .map(record -> KafkaTopicReader.header(record, "ce_type")).toList();
        assertThat(commands.lastIndexOf("dialer.contact.unsuppress")).as("the dialer's commands: %s", commands)
                .isLessThan(commands.lastIndexOf("dialer.contact.suppress"));
        List<ConsumerRecord<String, String>> rows = received.stream()
                .filter(record -> ("record:" + person).equals(record.key())).toList();
        assertThat(rows.get(rows.size() - 1).value()).as("the suppressions table ends suppressed")
                .isNotNull().contains("DISPOSITION");
        assertThat(guard.suppressionOf(person)).map(SuppressionEntry::reasons).hasValue(List.of("DISPOSITION"));
    }

    private static boolean waitsForRowsInFlight(Thread thread) {
        return thread != null && Arrays.stream(thread.getStackTrace())
                .anyMatch(frame -> frame.getMethodName().equals("awaitLanded"));
    }

    /** As DispositionSuppressions builds it for a DO_NOT_CALL call of the person. */
    private static DialerCommand doNotCall(String person) {
        Instant now = Instant.now();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("recordId", person);
        data.put("phones", List.of("+14155550177"));
        data.put("scope", "CONTACT");
        data.put("reason", "DISPOSITION");
        data.put("requestedAt", now.toString());
        return new DialerCommand(CommandType.CONTACT_SUPPRESS, person, "disposition:crossed-1", "/dialer/dispositions",
                person, now, data);
    }
}
