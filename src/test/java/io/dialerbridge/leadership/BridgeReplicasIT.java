package io.dialerbridge.leadership;

import static org.assertj.core.api.Assertions.assertThat;

import io.dialerbridge.DialerBridgeApplication;
import io.dialerbridge.KafkaTopicReader;
import io.dialerbridge.ProductionArguments;
import io.dialerbridge.emulator.EmulatorSettings;
import io.dialerbridge.emulator.SalesforceEmulator;
import io.dialerbridge.emulator.data.RecordStore;
import io.dialerbridge.emulator.data.SObjectType;
import io.dialerbridge.local.kafka.EmbeddedKafkaBroker;
import io.dialerbridge.salesforce.SalesforceId;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two bridges in production mode on one broker and one org: one leads (one Salesforce subscriber per stream, the
 * DO_NOT_CALL suppression), the other stands by, ready, serving the intake; when the leader stops, the standby takes
 * over within seconds and resumes from the checkpoint: nothing lost, nothing twice for a {@code read_committed}
 * reader, and a DO_NOT_CALL posted to the standby suppresses through the leader.
 */
class BridgeReplicasIT {

    private static final String API_KEY = "replicas-test-api-key-0001";
    private static final String TOKEN = "replicas-test-operator-token";
    private static final String USER = "005000000000001AAA";
    private static final String CONTACTS = "/data/ContactChangeEvent";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration FAILOVER = Duration.ofSeconds(15);

    private SalesforceEmulator emulator;
    private EmbeddedKafkaBroker broker;
    private final List<ConfigurableApplicationContext> replicas = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void startSalesforceAndKafka() throws Exception {
        emulator = new SalesforceEmulator(EmulatorSettings.dialerOrg()).start();
        broker = EmbeddedKafkaBroker.builder().port(0).start();
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (ConfigurableApplicationContext replica : replicas) {
            replica.close();
        }
        broker.close();
        emulator.close();
    }

    private ConfigurableApplicationContext startReplica() {
        List<String> arguments = new ArrayList<>(ProductionArguments.against(emulator, broker, API_KEY));
        arguments.addAll(List.of("--server.port=0",
                "--dialer.management.tokens=" + TOKEN,
                "--dialer.streams.lead-pushtopic.enabled=false",
                "--dialer.streams.campaign-member-cdc.enabled=false",
                "--dialer.streams.dialer-control-generic.enabled=false",
                "--camel.main.shutdown-timeout=5"));
        ConfigurableApplicationContext replica = new SpringApplicationBuilder(DialerBridgeApplication.class)
                .run(arguments.toArray(String[]::new));
        replicas.add(replica);
        return replica;
    }

    private static boolean leads(ConfigurableApplicationContext replica) {
        return replica.isActive() && replica.getBean(BridgeLeadership.class).isLeader()
                && replica.getBean(CamelContext.class).getRouteController().getRouteStatus("contact-cdc")
                        == ServiceStatus.Started;
    }

    private String createContact(String lastName) {
        RecordStore.Transaction transaction = emulator.records().begin(USER, "test");
        String id = transaction.create(SObjectType.CONTACT, Map.of("LastName", lastName, "Phone", "+14155550130"));
        transaction.commit();
        return id;
    }

    private HttpResponse<String> get(ConfigurableApplicationContext replica, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(replica) + path))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postDoNotCall(ConfigurableApplicationContext replica, String personId)
            throws Exception {
        String body = "{\"callId\": \"call-" + personId + "\", \"recordId\": \"" + personId + "\","
                + " \"disposition\": \"DO_NOT_CALL\", \"phone\": \"+14155550134\","
                + " \"endedAt\": \"2026-11-27T15:06:10Z\"}";
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(replica)
                        + "/api/v1/dispositions"))
                .header("Authorization", "Bearer " + API_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String port(ConfigurableApplicationContext replica) {
        return replica.getEnvironment().getProperty("local.server.port");
    }

    private static long commandsFor(List<ConsumerRecord<String, String>> records, String personId) {
        return records.stream().filter(record -> personId.equals(record.key())).count();
    }

    @Test
    void theStandbyServesTheIntakeAndTakesOverWhenTheLeaderStopsWithNothingLostOrTwice() throws Exception {
        ConfigurableApplicationContext a = startReplica();
        ConfigurableApplicationContext b = startReplica();
        Awaitility.await().atMost(WAIT).until(() -> leads(a) ^ leads(b));
        ConfigurableApplicationContext leader = leads(a) ? a : b;
        ConfigurableApplicationContext standby = leader == a ? b : a;
        // One Salesforce subscriber per stream: the standby's streams are stopped.
        assertThat(emulator.streaming().subscriberCount(CONTACTS)).isEqualTo(1);
        HttpResponse<String> readiness = get(standby, "/actuator/health/readiness");
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(readiness.body()).contains("\"role\":\"standby\"");
        assertThat(get(leader, "/actuator/health").body()).contains("\"role\":\"leader\"");
        assertThat(get(standby, "/actuator/prometheus").body()).contains("dialer_leader{route=\"contact-cdc\"} 0.0");

        try (KafkaTopicReader commands = new KafkaTopicReader(broker.bootstrapServers(), "dialer.contact-commands");
                KafkaTopicReader suppressions = new KafkaTopicReader(broker.bootstrapServers(),
                        "dialer.suppressions")) {
            String before = createContact("Before");
            commands.awaitUntil(records -> commandsFor(records, before) > 0, WAIT);
            // A DO_NOT_CALL posted to the standby: its intake takes it, the leader suppresses.
            String called = SalesforceId.to18("00Q5f0000000001");
            assertThat(postDoNotCall(standby, called).statusCode()).isEqualTo(202);
            suppressions.awaitUntil(rows -> rows.stream().anyMatch(row -> ("record:" + called).equals(row.key())),
                    WAIT);

            long stopped = System.nanoTime();
            leader.close();
            String during = createContact("During");
            Awaitility.await().atMost(FAILOVER).until(() -> leads(standby));
            System.out.printf("Failover after the leader stopped: %d ms%n", (System.nanoTime() - stopped) / 1_000_000);
            Awaitility.await().atMost(FAILOVER).until(() -> emulator.streaming().subscriberCount(CONTACTS) == 1);
            String after = createContact("After");
            List<ConsumerRecord<String, String>> seen = commands.awaitUntil(records ->
                    commandsFor(records, during) > 0 && commandsFor(records, after) > 0, WAIT);
            assertThat(commandsFor(seen, before)).isEqualTo(1);
            assertThat(commandsFor(seen, during)).isEqualTo(1);
            assertThat(commandsFor(seen, after)).isEqualTo(1);
            assertThat(standby.getBean(io.dialerbridge.suppression.SuppressionGuard.class).suppressionOf(called))
                    .isPresent();
        }
    }
}
