package io.dialerbridge.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.dialerbridge.KafkaTopicReader;
import io.dialerbridge.LocalBridgeContext;
import io.dialerbridge.emulator.SalesforceEmulator;
import io.dialerbridge.emulator.data.RecordStore;
import io.dialerbridge.emulator.data.SObjectType;
import io.dialerbridge.leadership.BridgeLeadership;
import io.dialerbridge.local.kafka.EmbeddedKafkaBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

/**
 * Issue 12, Deliver 3: a channel's producer has a stable transactional id, so another writer that takes the channel
 * up (a new leader) fences this one: what it had not committed is never seen by a read_committed dialer, and it
 * gives up leadership, which stops its streams, instead of writing on (it joins the election again later, as a
 * standby).
 */
// Shares CrossChannelOrderIT's settings, so it may start from that context, but closes it afterwards: the writer
// that fences the channel's producer leaves the contact stream stopped, as it should, for good.
@DirtiesContext
@LocalBridgeContext
@ContactStreamOnly
@Import(HeldProducers.InTheBridge.class)
class FencingIT {

    private static final String USER = "005000000000001AAA";
    private static final String CHANNEL = "/data/ContactChangeEvent";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    SalesforceEmulator emulator;
    @Autowired
    EmbeddedKafkaBroker broker;
    @Autowired
    CamelContext camel;
    @Autowired
    BridgeLeadership leadership;

    private String createContact(String lastName) {
        RecordStore.Transaction transaction = emulator.records().begin(USER, "test");
        String id = transaction.create(SObjectType.CONTACT, Map.of("LastName", lastName, "Phone", "+14155550130"));
        transaction.commit();
        return id;
    }

    @Test
    void aBridgeWhoseStreamAnotherWriterTookOverWritesNothingMoreAndStopsThatStream() {
        Awaitility.await().atMost(WAIT).until(() -> emulator.streaming().subscriberCount(CHANNEL) > 0);
        try (KafkaTopicReader commands = new KafkaTopicReader(broker.bootstrapServers(), "dialer.contact-commands");
                KafkaProducer<String, String> newLeader = new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                        ProducerConfig.TRANSACTIONAL_ID_CONFIG, "dialer-bridge-" + CHANNEL),
                        new StringSerializer(), new StringSerializer())) {
            String before = createContact("Before");
            commands.awaitUntil(records -> records.stream().anyMatch(record -> before.equals(record.key())), WAIT);

            newLeader.initTransactions();
            String after = createContact("After");

            Awaitility.await().atMost(WAIT).until(() ->
                    camel.getRouteController().getRouteStatus("contact-cdc") == ServiceStatus.Stopped);
            assertThat(leadership.isLeader()).isFalse();
            // The new leader writes a marker; whatever the old one had sent is before it, and aborted.
            newLeader.beginTransaction();
            newLeader.send(new ProducerRecord<>("dialer.contact-commands", "marker", "{}"));
            newLeader.commitTransaction();
            List<ConsumerRecord<String, String>> seen = commands.awaitUntil(records -> records.stream()
                    .anyMatch(record -> "marker".equals(record.key())), WAIT);
            assertThat(seen).noneMatch(record -> after.equals(record.key()));
        }
    }
}
