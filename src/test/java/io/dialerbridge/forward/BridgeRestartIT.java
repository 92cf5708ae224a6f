package io.dialerbridge.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.dialerbridge.DialerBridgeApplication;
import io.dialerbridge.KafkaTopicReader;
import io.dialerbridge.ProductionArguments;
import io.dialerbridge.emulator.EmulatorSettings;
import io.dialerbridge.emulator.SalesforceEmulator;
import io.dialerbridge.emulator.data.ChangeType;
import io.dialerbridge.emulator.data.RecordStore;
import io.dialerbridge.emulator.data.SObjectType;
import io.dialerbridge.local.kafka.EmbeddedKafkaBroker;
import io.dialerbridge.replay.ReplayCheckpoints;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The bridge stopped and started again against a Salesforce org and a Kafka estate that stay up, as in production:
 * it resumes from its durable checkpoint, falls back and resynchronises when the checkpoint has expired, and reads
 * back records that gap events hide.
 */
class BridgeRestartIT {

    private static final String USER = "005000000000001AAA";
    private static final String CHANNEL = "/data/ContactChangeEvent";
    private static final String MEMBERS = "/data/CampaignMemberChangeEvent";
    private static final Duration WAIT = Duration.ofSeconds(45);

    private SalesforceEmulator emulator;
    private EmbeddedKafkaBroker broker;
    private ConfigurableApplicationContext bridge;
    private KafkaTopicReader commands;

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
        if (commands != null) {
            commands.close();
        }
        broker.close();
        emulator.close();
    }

    private void startBridge() {
        List<String> arguments = new ArrayList<>(
                ProductionArguments.against(emulator, broker, "restart-test-api-key-0001"));
        arguments.addAll(List.of("--server.port=0",
                "--dialer.streams.lead-pushtopic.enabled=false",
                "--dialer.streams.dialer-control-generic.enabled=false",
                "--dialer.streams.dialer-command-events.enabled=false"));
        bridge = new SpringApplicationBuilder(DialerBridgeApplication.class).run(arguments.toArray(String[]::new));
        Awaitility.await().atMost(WAIT).until(() -> emulator.streaming().subscriberCount(CHANNEL) > 0
                && emulator.streaming().subscriberCount(MEMBERS) > 0);
        if (commands == null) {
            commands = new KafkaTopicReader(broker.bootstrapServers(), "dialer.contact-commands");
        }
    }

    private void stopBridge() {
        bridge.close();
        bridge = null;
        Awaitility.await().atMost(WAIT).until(() -> emulator.streaming().subscriberCount(CHANNEL) == 0);
    }

    private String createContact(String lastName) {
        RecordStore.Transaction transaction = emulator.records().begin(USER, "test");
        String id = transaction.create(SObjectType.CONTACT, Map.of("LastName", lastName, "Phone", "+14155550100"));
        transaction.commit();
        return id;
    }

    private List<ConsumerRecord<String, String>> awaitCommandsAbout(Set<String> ids) {
        return commands.awaitUntil(records -> records.stream().map(ConsumerRecord::key).collect(Collectors.toSet())
                .containsAll(ids), WAIT);
    }

    @Test
    void changesMadeWhileTheBridgeWasDownArriveAfterItRestartsEachOnce() {
        startBridge();
        String before = createContact("Before");
        awaitCommandsAbout(Set.of(before));
        stopBridge();

        List<String> whileDown = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            whileDown.add(createContact("WhileDown-" + i));
        }
        startBridge();

        List<ConsumerRecord<String, String>> received = awaitCommandsAbout(Set.copyOf(whileDown));
        // The checkpoint is committed with the commands, so a read_committed dialer gets each command once.
        Map<String, Long> copies = received.stream().collect(Collectors.groupingBy(
                record -> KafkaTopicReader.header(record, "ce_id"), Collectors.counting()));
        assertThat(copies).hasSize(1 + whileDown.size());
        assertThat(copies.values()).containsOnly(1L);
        assertThat(bridge.getBean(ReplayCheckpoints.class).checkpoints()).containsKey(CHANNEL);
    }

    @Test
    void aBridgeStoppedMidStreamSendsNoCommandTwiceAfterItRestarts() {
        startBridge();
        List<String> people = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            people.add(createContact("MidStream-" + i));
        }
        // Stopped while the events are still arriving and being published.
        stopBridge();
        startBridge();

        List<ConsumerRecord<String, String>> received = awaitCommandsAbout(Set.copyOf(people));
        Map<String, Long> copies = received.stream().collect(Collectors.groupingBy(
                record -> KafkaTopicReader.header(record, "ce_id"), Collectors.counting()));
        assertThat(copies).hasSize(people.size());
        assertThat(copies.values()).containsOnly(1L);
    }

    @Test
    void anExpiredCheckpointFallsBackAndResynchronisesTheEntitySoLostChangesStillArrive() {
        startBridge();
        String before = createContact("Before");
        awaitCommandsAbout(Set.of(before));
        stopBridge();

        String lost = createContact("Lost");
        long lostReplayId = emulator.bus().lastReplayId();
        String kept = createContact("Kept");
        emulator.bus().purge(CHANNEL, lostReplayId);
        startBridge();

        List<ConsumerRecord<String, String>> received = awaitCommandsAbout(Set.of(lost, kept));
        assertThat(received).anyMatch(record -> record.key().equals(lost)
                && "dialer.contact.upsert".equals(KafkaTopicReader.header(record, "ce_type")));
        assertThat(bridge.getBean(ReplayCheckpoints.class).fallbacks()).containsEntry(CHANNEL, 1L);
    }

    @Test
    void aGapEventIsAnsweredWithTheRecordAsItIsNow() {
        startBridge();
        String id = createContact("Gap");
        awaitCommandsAbout(Set.of(id));
        RecordStore.Transaction change = emulator.records().begin(USER, "test");
        change.update(SObjectType.CONTACT, id, Map.of("Email", "gap@example.com"));
        change.commit();
        // Salesforce sends a gap event when it cannot describe a change; the bridge must read the record itself.
        long gap = emulator.changeEvents().publishGap(SObjectType.CONTACT, id, ChangeType.UPDATE, USER,
                Instant.now());
        // Command ids derive from the gap event (a snapshot may also carry an unsuppress, hence a prefix).
        java.util.function.Predicate<ConsumerRecord<String, String>> fromGap = record -> String.valueOf(
                KafkaTopicReader.header(record, "ce_id")).startsWith(CHANNEL + ":" + gap);

        List<ConsumerRecord<String, String>> received = commands.awaitUntil(records -> records.stream()
                .anyMatch(fromGap), WAIT);

        ConsumerRecord<String, String> refetched = received.stream().filter(fromGap).findFirst().orElseThrow();
        assertThat(KafkaTopicReader.header(refetched, "ce_type")).isEqualTo("dialer.contact.upsert");
        assertThat(refetched.value()).contains("\"email\":\"gap@example.com\"").contains("\"lastName\":\"Gap\"");
    }

    @Test
    void aCampaignMemberDeletedAfterARestartIsStillRemovedFromTheRightCampaign() {
        startBridge();
        String person = createContact("Member");
        RecordStore.Transaction setup = emulator.records().begin(USER, "test");
        String campaign = setup.create(SObjectType.CAMPAIGN, Map.of("Name", "Spring"));
        setup.commit();
        RecordStore.Transaction join = emulator.records().begin(USER, "test");
        String member = join.create(SObjectType.CAMPAIGN_MEMBER, Map.of("CampaignId", campaign, "ContactId", person));
        join.commit();
        commands.awaitUntil(records -> records.stream().anyMatch(record -> person.equals(record.key())
                && "dialer.campaign-member.add".equals(KafkaTopicReader.header(record, "ce_type"))), WAIT);
        stopBridge();

        RecordStore.Transaction leave = emulator.records().begin(USER, "test");
        leave.delete(SObjectType.CAMPAIGN_MEMBER, member);
        leave.commit();
        startBridge();

        ConsumerRecord<String, String> removal = commands.awaitUntil(records -> records.stream()
                .anyMatch(record -> "dialer.campaign-member.remove".equals(KafkaTopicReader.header(record, "ce_type"))),
                WAIT).stream().filter(record -> "dialer.campaign-member.remove"
                        .equals(KafkaTopicReader.header(record, "ce_type"))).findFirst().orElseThrow();
        assertThat(removal.key()).isEqualTo(person);
        assertThat(removal.value()).contains(campaign);
    }
}
