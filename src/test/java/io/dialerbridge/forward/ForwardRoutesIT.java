package io.dialerbridge.forward;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dialerbridge.KafkaTopicReader;
import io.dialerbridge.LocalBridgeContext;
import io.dialerbridge.emulator.SalesforceEmulator;
import io.dialerbridge.emulator.data.RecordStore;
import io.dialerbridge.emulator.data.SObjectType;
import io.dialerbridge.local.kafka.EmbeddedKafkaBroker;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import io.dialerbridge.leadership.LeaderOnlyRoutes;
import org.apache.camel.spi.EventNotifier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * The forward routes end to end: the YAML routes of {@code routes/} consume the emulator's four streams through the
 * real camel-salesforce client and write dialer commands to a real Kafka broker.
 */
// Its own context: the Do Not Call state (suppressed people and numbers) lives in the context's broker, and this
// test and DoNotCallRegressionIT use the same phone numbers; sharing carried one's suppressions into the other.
@DirtiesContext
@LocalBridgeContext
@TestPropertySource(properties = {
    // Bounds the drop-while-held race of the mid-stream session test (see CamelSessionRecoveryIT).
    "emulator.long-poll-timeout=5s"
})
class ForwardRoutesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER = "005000000000001AAA";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    SalesforceEmulator emulator;
    @Autowired
    EmbeddedKafkaBroker broker;
    @Autowired
    MeterRegistry meters;
    @Autowired
    CamelContext camel;

    private KafkaTopicReader commands;

    @BeforeEach
    void awaitSubscriptions() {
        Awaitility.await().atMost(WAIT).until(() -> List.of("/topic/DialerLeads", "/u/DialerControl",
                        "/data/ContactChangeEvent", "/data/CampaignMemberChangeEvent", "/event/Dialer_Command__e")
                .stream().allMatch(channel -> emulator.streaming().subscriberCount(channel) > 0));
        commands = new KafkaTopicReader(broker.bootstrapServers(), "dialer.contact-commands",
                "dialer.campaign-control", "dialer.dead-letter", "dialer.suppressions");
    }

    @AfterEach
    void close() {
        commands.close();
    }

    private String create(SObjectType type, Map<String, ?> fields) {
        RecordStore.Transaction transaction = emulator.records().begin(USER, "test");
        String id = transaction.create(type, fields);
        transaction.commit();
        return id;
    }

    private void update(SObjectType type, String id, Map<String, ?> fields) {
        RecordStore.Transaction transaction = emulator.records().begin(USER, "test");
        transaction.update(type, id, fields);
        transaction.commit();
    }

    /**
     * The records about one key, once each: delivery is at least once, and a redelivered command keeps its
     * {@code ce_id}, so consumers (and these tests) de-duplicate by it.
     */
    private static List<ConsumerRecord<String, String>> about(List<ConsumerRecord<String, String>> records,
            String key) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        return records.stream().filter(record -> key.equals(record.key()))
                .filter(record -> seen.add(record.topic() + " " + KafkaTopicReader.header(record, "ce_id")))
                .toList();
    }

    private static List<String> types(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(record -> KafkaTopicReader.header(record, "ce_type")).toList();
    }

    private static JsonNode json(ConsumerRecord<String, String> record) {
        try {
            return JSON.readTree(record.value());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aNewContactBecomesAnUpsertCloudEventKeyedByThePerson() {
        String id = create(SObjectType.CONTACT, Map.of("FirstName", "Ada", "LastName", "Lovelace",
                "Phone", "(415) 555-0134"));

        ConsumerRecord<String, String> upsert = commands.awaitUntil(records -> !about(records, id).isEmpty(), WAIT)
                .stream().filter(record -> id.equals(record.key())).findFirst().orElseThrow();

        assertThat(upsert.topic()).isEqualTo("dialer.contact-commands");
        assertThat(KafkaTopicReader.header(upsert, "ce_type")).isEqualTo("dialer.contact.upsert");
        assertThat(KafkaTopicReader.header(upsert, "ce_specversion")).isEqualTo("1.0");
        assertThat(KafkaTopicReader.header(upsert, "ce_subject")).isEqualTo(id);
        assertThat(KafkaTopicReader.header(upsert, "ce_source"))
                .isEqualTo("/salesforce/00D000000000001AAA/data/ContactChangeEvent");
        assertThat(KafkaTopicReader.header(upsert, "ce_id")).startsWith("/data/ContactChangeEvent:");
        JsonNode data = json(upsert);
        assertThat(data.get("recordType").asText()).isEqualTo("Contact");
        assertThat(data.at("/phones/Phone/e164").asText()).isEqualTo("+14155550134");
        Awaitility.await().atMost(WAIT).until(() -> meters.find("dialer.commands")
                .tag("type", "dialer.contact.upsert").counter() != null);
        assertThat(meters.get("dialer.stream.events").tag("channel", "/data/ContactChangeEvent").counter().count())
                .isPositive();
        assertThat(meters.get("dialer.replay.checkpoint").tag("channel", "/data/ContactChangeEvent").gauge().value())
                .isPositive();
    }

    /**
     * With any event notifier registered that does not ignore exchange events, Camel makes an event object of every
     * exchange and every send, about a tenth of the stream routes' CPU (docs/benchmarks.md); camel-spring-boot
     * registers one for any CamelContextConfiguration bean, so start-up work uses BeforeRoutesStart and the OpenAPI
     * starter's bean is off. The leader-only routes have one for the context's start only, told to ignore the rest
     * (LeaderOnlyRoutes).
     */
    @Test
    void theRoutesRunWithoutExchangeEventNotifiers() {
        assertThat(camel.getManagementStrategy().getEventNotifiers())
                .allMatch(notifier -> notifier.getClass().getName().startsWith(LeaderOnlyRoutes.class.getName()))
                .allMatch(EventNotifier::isIgnoreExchangeEvents)
                .allMatch(EventNotifier::isIgnoreStepEvents);
        assertThat(camel.getCamelContextExtension().isEventNotificationApplicable()).isFalse();
    }

    @Test
    void aLeadReachesTheDialerThroughThePushTopicCamelCreated() {
        String id = create(SObjectType.LEAD, Map.of("LastName", "Hopper", "Company", "Navy",
                "MobilePhone", "+1 415 555 0199"));

        List<ConsumerRecord<String, String>> received = commands.awaitUntil(
                records -> !about(records, id).isEmpty(), WAIT);

        ConsumerRecord<String, String> upsert = about(received, id).get(0);
        assertThat(KafkaTopicReader.header(upsert, "ce_source")).endsWith("/topic/DialerLeads");
        assertThat(json(upsert).at("/phones/MobilePhone/e164").asText()).isEqualTo("+14155550199");
    }

    @Test
    void aDoNotCallMarkThenAPhoneChangeSuppressesAndSendsNoCallableUpsert() {
        String id = create(SObjectType.CONTACT, Map.of("LastName", "Turing", "Phone", "+14155550111"));
        commands.awaitUntil(records -> !about(records, id).isEmpty(), WAIT);

        update(SObjectType.CONTACT, id, Map.of("DoNotCall", true));
        update(SObjectType.CONTACT, id, Map.of("Phone", "+14155550122"));
        String marker = create(SObjectType.CONTACT, Map.of("LastName", "After"));

        List<ConsumerRecord<String, String>> received = commands.awaitUntil(
                records -> !about(records, marker).isEmpty(), WAIT);
        List<ConsumerRecord<String, String>> aboutPerson = about(received, id).stream()
                .filter(record -> record.topic().equals("dialer.contact-commands")).toList();
        assertThat(types(aboutPerson)).containsExactly("dialer.contact.upsert", "dialer.contact.suppress");
        assertThat(received).anyMatch(record -> record.topic().equals("dialer.suppressions")
                && ("record:" + id).equals(record.key()));
        assertThat(meters.get("dialer.guard.blocked").tag("type", "dialer.contact.upsert").counter().count())
                .isPositive();
    }

    @Test
    void genericControlMessagesAndFreeTextReachTheCampaignControlTopic() {
        emulator.genericChannels().push("/u/DialerControl", "PAUSE_CAMPAIGN *");
        emulator.genericChannels().push("/u/DialerControl", "{\"command\":\"RESUME_CAMPAIGN\",\"campaignId\":\"*\"}");
        emulator.genericChannels().push("/u/DialerControl", "Lunch break in ten minutes");

        List<ConsumerRecord<String, String>> control = commands.awaitUntil(records -> records.stream()
                .filter(record -> record.topic().equals("dialer.campaign-control")).count() >= 3, WAIT)
                .stream().filter(record -> record.topic().equals("dialer.campaign-control")).toList();

        assertThat(types(control)).containsExactly("dialer.campaign.pause", "dialer.campaign.resume",
                "dialer.broadcast");
        assertThat(json(control.get(2)).get("text").asText()).isEqualTo("Lunch break in ten minutes");
    }

    @Test
    void aDialerCommandPlatformEventBecomesACampaignCommand() {
        emulator.platformEvents().publish("Dialer_Command__e", Map.of("Command__c", "SET_DIALING_MODE",
                "Campaign_Id__c", "701000000000001AAA", "Dialing_Mode__c", "PREDICTIVE", "Profile__c", "EVENING"),
                USER);

        ConsumerRecord<String, String> mode = commands.awaitUntil(records -> records.stream()
                .anyMatch(record -> "dialer.campaign.dialing-mode".equals(KafkaTopicReader.header(record, "ce_type"))),
                WAIT).stream().filter(record -> "dialer.campaign.dialing-mode"
                        .equals(KafkaTopicReader.header(record, "ce_type"))).findFirst().orElseThrow();

        assertThat(mode.key()).isEqualTo("701000000000001AAA");
        assertThat(json(mode).get("mode").asText()).isEqualTo("PREDICTIVE");
    }

    @Test
    void anEventTheBridgeCannotMapIsDeadLetteredWithItsReasonAndTheStreamGoesOn() {
        Map<String, Object> fields = new HashMap<>();
        fields.put("Command__c", "LAUNCH_ROCKETS");
        emulator.platformEvents().publish("Dialer_Command__e", fields, USER);
        String after = create(SObjectType.CONTACT, Map.of("LastName", "Still-Flowing"));

        List<ConsumerRecord<String, String>> received = commands.awaitUntil(records ->
                !about(records, after).isEmpty() && records.stream()
                        .anyMatch(record -> record.topic().equals("dialer.dead-letter")), WAIT);

        ConsumerRecord<String, String> deadLetter = received.stream()
                .filter(record -> record.topic().equals("dialer.dead-letter")).findFirst().orElseThrow();
        assertThat(KafkaTopicReader.header(deadLetter, "dialer_dead_letter_reason")).isEqualTo("UNKNOWN_COMMAND");
        assertThat(meters.get("dialer.dead.letters").tag("reason", "UNKNOWN_COMMAND").counter().count()).isPositive();
        assertThat(KafkaTopicReader.header(deadLetter, "dialer_dead_letter_channel"))
                .isEqualTo("/event/Dialer_Command__e");
        assertThat(KafkaTopicReader.header(deadLetter, "dialer_dead_letter_replay_id")).isNotBlank();
        assertThat(KafkaTopicReader.header(deadLetter, "dialer_dead_letter_route")).isEqualTo("dialer-command-events");
        // The event as it arrived, which the stream consumer keeps for the dead letter while the route maps it.
        assertThat(json(deadLetter).get("channel").asText()).isEqualTo("/event/Dialer_Command__e");
        assertThat(json(deadLetter).get("data").toString()).contains("LAUNCH_ROCKETS");
    }

    /**
     * The stream routes come from one template but keep their own ids (metrics, health and route policies select
     * them by id), and only the PushTopic's endpoint has the PushTopic's options.
     */
    @Test
    void theStreamRoutesKeepTheirIdsAndOnlyThePushTopicHasItsOptions() {
        List<String> streams = List.of("lead-pushtopic", "lead-cdc", "contact-cdc", "campaign-member-cdc",
                "dialer-control-generic", "dialer-command-events");

        assertThat(streams).allSatisfy(id -> assertThat(camel.getRouteController().getRouteStatus(id)).as(id).isNotNull());
        // lead-cdc is off by default; the supervising route controller leaves a route it does not start unregistered
        // (getRoute is null until it starts), so the descriptions are those of the five that run.
        assertThat(streams.stream().filter(id -> camel.getRouteController().getRouteStatus(id).isStarted()))
                .hasSize(5)
                .allSatisfy(id -> assertThat(camel.getRoute(id).getDescription()).as(id)
                        .contains("salesforce-event-to-dialer"));
        assertThat(camel.getRoute("lead-pushtopic").getEndpoint().getEndpointUri())
                .contains("sObjectQuery=", "updateTopic=true", "notifyForFields=Referenced",
                        "notifyForOperationUndelete=true");
        assertThat(camel.getRoute("contact-cdc").getEndpoint().getEndpointUri())
                .startsWith("salesforce-stream://data/ContactChangeEvent")
                .doesNotContain("sObjectQuery", "updateTopic", "notifyFor");
        assertThat(camel.getRouteController().getRouteStatus("lead-cdc").isStarted()).isFalse();
    }

    @Test
    void deletedAndConvertedPeopleAreRemoved() {
        String contact = create(SObjectType.CONTACT, Map.of("LastName", "Gone"));
        String lead = create(SObjectType.LEAD, Map.of("LastName", "Converted", "Company", "Acme"));
        commands.awaitUntil(records -> !about(records, contact).isEmpty() && !about(records, lead).isEmpty(), WAIT);

        RecordStore.Transaction delete = emulator.records().begin(USER, "test");
        delete.delete(SObjectType.CONTACT, contact);
        delete.commit();
        update(SObjectType.LEAD, lead, Map.of("IsConverted", true));

        List<ConsumerRecord<String, String>> received = commands.awaitUntil(records ->
                types(about(records, contact)).contains("dialer.contact.remove")
                        && types(about(records, lead)).contains("dialer.contact.remove"), WAIT);
        assertThat(json(about(received, contact).get(1)).get("reason").asText()).isEqualTo("DELETED");
        assertThat(about(received, lead).stream().filter(record -> "dialer.contact.remove"
                .equals(KafkaTopicReader.header(record, "ce_type"))).map(record -> json(record).get("reason").asText()))
                .containsExactly("CONVERTED");
    }

    @Test
    void campaignMembershipIsAddedAndRemovedForThePerson() {
        String campaign = create(SObjectType.CAMPAIGN, Map.of("Name", "Winter"));
        String person = create(SObjectType.CONTACT, Map.of("LastName", "Member"));
        String member = create(SObjectType.CAMPAIGN_MEMBER, Map.of("CampaignId", campaign, "ContactId", person,
                "Status", "Sent"));
        RecordStore.Transaction delete = emulator.records().begin(USER, "test");
        delete.delete(SObjectType.CAMPAIGN_MEMBER, member);
        delete.commit();

        List<ConsumerRecord<String, String>> received = commands.awaitUntil(records ->
                types(about(records, person)).contains("dialer.campaign-member.remove"), WAIT);
        List<ConsumerRecord<String, String>> membership = about(received, person).stream()
                .filter(record -> KafkaTopicReader.header(record, "ce_type").startsWith("dialer.campaign-member"))
                .toList();
        assertThat(types(membership)).containsExactly("dialer.campaign-member.add", "dialer.campaign-member.remove");
        assertThat(json(membership.get(0)).get("campaignId").asText()).isEqualTo(campaign);
        assertThat(json(membership.get(0)).get("memberStatus").asText()).isEqualTo("Sent");
    }

    @Test
    void oneChangeEventNamingSeveralRecordsFansOutToOneCommandPerPerson() {
        String first = create(SObjectType.CONTACT, Map.of("LastName", "First"));
        String second = create(SObjectType.CONTACT, Map.of("LastName", "Second"));
        commands.awaitUntil(records -> !about(records, first).isEmpty() && !about(records, second).isEmpty(), WAIT);
        // Identical changes to several records in one transaction become one change event listing them all.
        RecordStore.Transaction bulk = emulator.records().begin(USER, "test");
        bulk.update(SObjectType.CONTACT, first, Map.of("Title", "VP", "Email", "same@example.com"));
        bulk.update(SObjectType.CONTACT, second, Map.of("Title", "VP", "Email", "same@example.com"));
        bulk.commit();

        List<ConsumerRecord<String, String>> received = commands.awaitUntil(records ->
                about(records, first).size() == 2 && about(records, second).size() == 2, WAIT);
        String firstId = KafkaTopicReader.header(about(received, first).get(1), "ce_id");
        String secondId = KafkaTopicReader.header(about(received, second).get(1), "ce_id");
        assertThat(firstId).endsWith(":" + first);
        assertThat(secondId).endsWith(":" + second);
        assertThat(firstId.substring(0, firstId.lastIndexOf(':')))
                .isEqualTo(secondId.substring(0, secondId.lastIndexOf(':')));
    }

    @Test
    void nothingIsLostWhenTokensExpireAndTheServerDropsTheSessionMidStream() {
        List<String> ids = new java.util.ArrayList<>();
        ids.add(create(SObjectType.CONTACT, Map.of("LastName", "Steady-0")));
        emulator.tokens().expireAll();
        emulator.streaming().wakeAll();
        ids.add(create(SObjectType.CONTACT, Map.of("LastName", "Steady-1")));
        ids.add(create(SObjectType.CONTACT, Map.of("LastName", "Steady-2")));
        emulator.streaming().dropAllSessions();
        ids.add(create(SObjectType.CONTACT, Map.of("LastName", "Steady-3")));
        ids.add(create(SObjectType.CONTACT, Map.of("LastName", "Steady-4")));

        List<ConsumerRecord<String, String>> received = commands.awaitUntil(records ->
                ids.stream().allMatch(id -> !about(records, id).isEmpty()), WAIT);
        assertThat(ids).allSatisfy(id -> assertThat(types(about(received, id))).containsExactly("dialer.contact.upsert"));
    }
}
