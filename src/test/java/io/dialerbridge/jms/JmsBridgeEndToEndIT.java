package io.dialerbridge.jms;

import static org.assertj.core.api.Assertions.assertThat;

import io.dialerbridge.LocalBridgeContext;
import io.dialerbridge.emulator.SalesforceEmulator;
import io.dialerbridge.emulator.data.RecordStore;
import io.dialerbridge.emulator.data.SObjectType;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * The whole bridge with JMS on, as local mode runs it with {@code dialer.jms.enabled=true}: Salesforce changes in the
 * emulator, through the real camel-salesforce client, the forward routes and Kafka, arrive on the Artemis queues.
 */
// Its own context: the JMS contract switched on, with its own Artemis data directory; closed after the
// class rather than kept idle in the cache with its emulator and brokers.
@DirtiesContext
@LocalBridgeContext
@TestPropertySource(properties = {
    "spring.artemis.embedded.data-directory=target/test-artemis/${random.uuid}",
    "dialer.jms.enabled=true"
})
class JmsBridgeEndToEndIT {

    static final String USER = "005000000000001AAA";
    static final Duration WAIT = Duration.ofSeconds(60);

    @Autowired
    SalesforceEmulator emulator;
    @Autowired
    ConnectionFactory connectionFactory;

    @Test
    void aNewContactAndACampaignPauseFromSalesforceArriveOnTheirJmsQueues() throws Exception {
        Awaitility.await().atMost(WAIT).until(() -> List.of("/u/DialerControl", "/data/ContactChangeEvent")
                .stream().allMatch(channel -> emulator.streaming().subscriberCount(channel) > 0));
        RecordStore.Transaction transaction = emulator.records().begin(USER, "test");
        String id = transaction.create(SObjectType.CONTACT, Map.of("FirstName", "Ada", "LastName", "Lovelace",
                "Phone", "(415) 555-0134"));
        transaction.commit();
        emulator.genericChannels().push("/u/DialerControl", "PAUSE_CAMPAIGN *");

        Message upsert = receive("dialer.contact-commands", id);
        assertThat(upsert.getStringProperty("cloudEvents_type")).isEqualTo("dialer.contact.upsert");
        assertThat(upsert.getStringProperty("cloudEvents_id")).startsWith("/data/ContactChangeEvent:");
        assertThat(upsert.getStringProperty("_AMQ_DUPL_ID")).isEqualTo(upsert.getStringProperty("cloudEvents_id"));
        assertThat(((TextMessage) upsert).getText()).contains("+14155550134");
        Message pause = receive("dialer.campaign-control", "*");
        assertThat(pause.getStringProperty("cloudEvents_type")).isEqualTo("dialer.campaign.pause");
    }

    /** The first message of the queue whose group (the Kafka key) is the one given. */
    Message receive(String queue, String group) {
        Message[] found = new Message[1];
        Awaitility.await().atMost(WAIT).ignoreExceptions().until(() -> {
            try (JMSContext context = connectionFactory.createContext(JMSContext.AUTO_ACKNOWLEDGE);
                    JMSConsumer consumer = context.createConsumer(context.createQueue(queue))) {
                Message message;
                while ((message = consumer.receive(500)) != null) {
                    if (group.equals(message.getStringProperty("JMSXGroupID"))) {
                        found[0] = message;
                        return true;
                    }
                }
            }
            return false;
        });
        return found[0];
    }
}
