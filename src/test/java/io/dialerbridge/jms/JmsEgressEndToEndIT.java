package io.dialerbridge.jms;

import static org.assertj.core.api.Assertions.assertThat;

import io.dialerbridge.LocalBridgeContext;
import io.dialerbridge.command.CommandType;
import io.dialerbridge.command.DialerCommand;
import io.dialerbridge.local.kafka.EmbeddedKafkaBroker;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * {@code jms-egress} end to end: contract records on the real embedded Kafka broker arrive on the queues of a real
 * embedded Artemis broker (Spring Boot's embedded mode, persistent), with their CloudEvents attributes as JMS
 * properties, in order per person, and nothing lost or doubled across a broker restart.
 */
// Its own context: only the JMS egress routes, with their own waits and retry delays; closed after the
// class rather than kept idle in the cache with its emulator and brokers.
@DirtiesContext
@LocalBridgeContext(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@TestPropertySource(properties = {
    "spring.artemis.embedded.data-directory=target/test-artemis/${random.uuid}",
    "dialer.jms.enabled=true",
    "dialer.jms.egress.wait-ms=20",
    "dialer.jms.egress.retry.initial-delay-ms=100",
    "dialer.jms.egress.retry.max-delay-ms=500",
    "camel.main.routes-include-pattern=file:routes/jms-egress*.camel.yaml,file:routes/errors/jms-egress*.camel.yaml"
})
class JmsEgressEndToEndIT {

    static final String QUEUE = "dialer.contact-commands";
    static final Duration WAIT = Duration.ofSeconds(60);

    @Autowired
    EmbeddedKafkaBroker kafka;
    @Autowired
    EmbeddedActiveMQ artemis;
    @Autowired
    ConnectionFactory connectionFactory;
    @Autowired
    CamelContext camel;

    KafkaProducer<String, String> producer;

    @BeforeEach
    void producer() {
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true"),
                new StringSerializer(), new StringSerializer());
        Awaitility.await().atMost(WAIT).until(() -> camel.getRouteController().getRouteStatus("jms-egress")
                == ServiceStatus.Started);
    }

    @AfterEach
    void close() {
        producer.close();
        drain();
    }

    @Test
    void aContactCommandArrivesOnTheQueueWithItsCloudEventsAttributesAsJmsProperties() throws Exception {
        DialerCommand command = command("003" + UUID.randomUUID().toString().substring(0, 15), 1);
        send(command);

        List<Message> received = receive(1);

        Message message = received.get(0);
        assertThat(((TextMessage) message).getText()).isEqualTo(body(command));
        assertThat(message.getStringProperty("cloudEvents_id")).isEqualTo(command.id());
        assertThat(message.getStringProperty("cloudEvents_type")).isEqualTo("dialer.contact.upsert");
        assertThat(message.getStringProperty("cloudEvents_source")).isEqualTo(command.source());
        assertThat(message.getStringProperty("cloudEvents_subject")).isEqualTo(command.subject());
        assertThat(message.getStringProperty("cloudEvents_time")).isEqualTo(command.kafkaHeaders().get("ce_time"));
        assertThat(message.getStringProperty("cloudEvents_specversion")).isEqualTo("1.0");
        assertThat(message.getStringProperty("Content_Type")).isEqualTo("application/json");
        assertThat(message.getStringProperty("JMSXGroupID")).isEqualTo(command.key());
        assertThat(message.getStringProperty("_AMQ_DUPL_ID")).isEqualTo(command.id());
        assertThat(message.getJMSDeliveryMode()).isEqualTo(jakarta.jms.DeliveryMode.PERSISTENT);
    }

    @Test
    void eachPersonsCommandsArriveInTheOrderTheyWereWrittenAcrossManyPeople() {
        long seed = System.nanoTime();
        System.out.println("JmsEgressEndToEndIT order seed: " + seed);
        Random random = new Random(seed);
        List<String> people = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            people.add(String.format("003%015d", random.nextInt(1_000_000_000)) + i);
        }
        Map<String, Integer> next = new LinkedHashMap<>();
        List<DialerCommand> written = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String person = people.get(random.nextInt(people.size()));
            int sequence = next.merge(person, 1, Integer::sum);
            written.add(command(person, sequence));
        }
        written.forEach(this::send);

        List<Message> received = receive(written.size());

        Map<String, List<String>> sentOrder = written.stream().collect(Collectors.groupingBy(DialerCommand::key,
                LinkedHashMap::new, Collectors.mapping(DialerCommand::id, Collectors.toList())));
        Map<String, List<String>> receivedOrder = received.stream().collect(Collectors.groupingBy(
                message -> property(message, "JMSXGroupID"), LinkedHashMap::new,
                Collectors.mapping(message -> property(message, "cloudEvents_id"), Collectors.toList())));
        assertThat(receivedOrder).isEqualTo(sentOrder);
    }

    @Test
    void aBrokerRestartMidStreamLosesNothingAndDeliversNothingTwice() throws Exception {
        List<DialerCommand> before = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            before.add(command("003RESTARTA" + String.format("%07d", i % 10), i));
        }
        before.forEach(this::send);
        List<Message> first = receive(50);

        artemis.stop();
        List<DialerCommand> during = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            during.add(command("003RESTARTB" + String.format("%07d", i % 10), i));
        }
        during.forEach(this::send);
        artemis.start();

        List<Message> rest = receive(150);
        List<String> ids = new ArrayList<>();
        first.forEach(message -> ids.add(property(message, "cloudEvents_id")));
        rest.forEach(message -> ids.add(property(message, "cloudEvents_id")));
        List<String> expected = new ArrayList<>();
        before.forEach(command -> expected.add(command.id()));
        during.forEach(command -> expected.add(command.id()));
        assertThat(ids).containsExactlyInAnyOrderElementsOf(expected);
        // Nothing more on the queue: no second copy of a batch sent again after the restart.
        try (JMSContext context = connectionFactory.createContext(JMSContext.CLIENT_ACKNOWLEDGE);
                JMSConsumer consumer = context.createConsumer(context.createQueue(QUEUE))) {
            assertThat(consumer.receive(2000)).isNull();
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    static DialerCommand command(String person, int sequence) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("recordId", person);
        data.put("sequence", sequence);
        return new DialerCommand(CommandType.CONTACT_UPSERT, person, "test:" + UUID.randomUUID(), "/test/jms",
                person, Instant.parse("2026-12-03T10:00:00Z").plusSeconds(sequence), data);
    }

    static String body(DialerCommand command) {
        return "{\"recordId\":\"" + command.key() + "\",\"sequence\":" + command.data().get("sequence") + "}";
    }

    void send(DialerCommand command) {
        ProducerRecord<String, String> record = new ProducerRecord<>("dialer.contact-commands", command.key(),
                body(command));
        command.kafkaHeaders().forEach((name, value) -> record.headers().add(name,
                value.getBytes(StandardCharsets.UTF_8)));
        try {
            producer.send(record).get();
        } catch (Exception failed) {
            throw new IllegalStateException(failed);
        }
    }

    /** The next {@code count} messages of the queue, acknowledged once all arrived (a broker may be restarting). */
    List<Message> receive(int count) {
        List<Message> messages = Collections.synchronizedList(new ArrayList<>());
        Awaitility.await().atMost(WAIT).ignoreExceptions().until(() -> {
            try (JMSContext context = connectionFactory.createContext(JMSContext.AUTO_ACKNOWLEDGE);
                    JMSConsumer consumer = context.createConsumer(context.createQueue(QUEUE))) {
                Message message;
                while (messages.size() < count && (message = consumer.receive(500)) != null) {
                    messages.add(message);
                }
            }
            return messages.size() >= count;
        });
        return messages;
    }

    void drain() {
        try (JMSContext context = connectionFactory.createContext(JMSContext.AUTO_ACKNOWLEDGE);
                JMSConsumer consumer = context.createConsumer(context.createQueue(QUEUE))) {
            while (consumer.receive(500) != null) {
                // left over by a failed test
            }
        }
    }

    static String property(Message message, String name) {
        try {
            return message.getStringProperty(name);
        } catch (Exception unreadable) {
            throw new IllegalStateException(unreadable);
        }
    }
}
