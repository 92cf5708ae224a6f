package io.dialerbridge.disposition;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dialerbridge.DialerBridgeApplication;
import io.dialerbridge.KafkaTopicReader;
import io.dialerbridge.ProductionArguments;
import io.dialerbridge.emulator.EmulatorSettings;
import io.dialerbridge.emulator.SalesforceEmulator;
import io.dialerbridge.local.kafka.EmbeddedKafkaBroker;
import io.dialerbridge.salesforce.SalesforceId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Without leader election ({@code dialer.leadership.mode=none}), two replicas of the bridge consume the dispositions
 * on one Kafka: a replica's start does not fence the other's
 * DO_NOT_CALL writer, so every partition's suppressions reach the dialer; and a replica fenced all the same (two given
 * one instance id) steps aside, so its partitions go to the other instead of stalling.
 */
class DispositionsReplicasIT {

    private static final String GROUP = "dialer-bridge-disposition-suppressions";
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    private SalesforceEmulator emulator;
    private EmbeddedKafkaBroker broker;
    private final List<ConfigurableApplicationContext> replicas = new ArrayList<>();

    @BeforeEach
    void startSalesforceAndKafka() throws Exception {
        emulator = new SalesforceEmulator(EmulatorSettings.dialerOrg()).start();
        broker = EmbeddedKafkaBroker.builder().port(0).start();
        broker.createTopics(List.of(new NewTopic("dialer.dispositions", 3, (short) 1)));
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (ConfigurableApplicationContext replica : replicas) {
            replica.close();
        }
        broker.close();
        emulator.close();
    }

    private ConfigurableApplicationContext startReplica(String instanceId) {
        List<String> arguments = new ArrayList<>(
                ProductionArguments.against(emulator, broker, "replicas-test-api-key-0001"));
        arguments.addAll(List.of("--server.port=0",
                "--camel.main.routes-include-pattern=file:routes/dispositions-*.camel.yaml,"
                        + "file:routes/errors/dispositions-*.camel.yaml",
                "--dialer.instance-id=" + instanceId,
                // Replicas that each write their share of the dispositions: without an election (with one, only the
                // leader runs dispositions-suppress, under one transactional id: LeadershipTest).
                "--dialer.leadership.mode=none",
                "--camel.main.shutdown-timeout=1"));
        ConfigurableApplicationContext replica = new SpringApplicationBuilder(DialerBridgeApplication.class)
                .run(arguments.toArray(String[]::new));
        replicas.add(replica);
        return replica;
    }

    /** Leads enough to reach every partition of the dispositions topic. */
    private static List<String> leads() {
        return IntStream.range(0, 12).mapToObj(i -> SalesforceId.to18(String.format("00Q5f00000%05d", i))).toList();
    }

    private void sendDoNotCalls(List<String> leads) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()))) {
            for (String lead : leads) {
                Map<String, Object> disposition = new LinkedHashMap<>();
                disposition.put("callId", "call-" + lead);
                disposition.put("recordId", lead);
                disposition.put("disposition", "DO_NOT_CALL");
                disposition.put("phone", "+14155550134");
                disposition.put("endedAt", "2026-11-27T15:06:10Z");
                producer.send(new ProducerRecord<>("dialer.dispositions", lead.getBytes(StandardCharsets.UTF_8),
                        JSON.writeValueAsBytes(disposition)));
            }
            producer.flush();
        }
    }

    /** Waits until the suppressions group has this many members, each with a partition of its own. */
    private void awaitMembersWithPartitions(int members) {
        Map<String, Object> settings = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (Admin admin = Admin.create(settings)) {
            Awaitility.await().atMost(WAIT).until(() -> {
                ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(GROUP)).all().get().get(GROUP);
                return group.members().size() == members
                        && group.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty());
            });
        }
    }

    private static Set<String> suppressedRecords(List<ConsumerRecord<String, String>> rows) {
        return rows.stream().filter(row -> row.value() != null && row.key().startsWith("record:"))
                .map(row -> row.key().substring("record:".length())).collect(Collectors.toSet());
    }

    @Test
    void twoReplicasBothApplyTheDoNotCallsOfTheirPartitions() throws Exception {
        startReplica("replica-a");
        startReplica("replica-b");
        awaitMembersWithPartitions(2);

        sendDoNotCalls(leads());

        try (KafkaTopicReader suppressions = new KafkaTopicReader(broker.bootstrapServers(), "dialer.suppressions")) {
            suppressions.awaitUntil(rows -> suppressedRecords(rows).containsAll(leads()), WAIT);
        }
    }

    @Test
    void aReplicaFencedByAnotherWithItsInstanceIdStepsAsideAndTheOtherAppliesEveryDoNotCall() throws Exception {
        ConfigurableApplicationContext first = startReplica("same");
        // The second's start initialises the same dispositions transactional id: the first's producer is fenced.
        startReplica("same");
        awaitMembersWithPartitions(2);

        sendDoNotCalls(leads());

        try (KafkaTopicReader suppressions = new KafkaTopicReader(broker.bootstrapServers(), "dialer.suppressions")) {
            suppressions.awaitUntil(rows -> suppressedRecords(rows).containsAll(leads()), WAIT);
        }
        assertThat(first.getBean(CamelContext.class).getRouteController().getRouteStatus("dispositions-suppress"))
                .isEqualTo(ServiceStatus.Stopped);
    }
}
