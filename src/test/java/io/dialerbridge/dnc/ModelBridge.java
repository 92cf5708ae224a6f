package io.dialerbridge.dnc;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dialerbridge.DialerBridgeApplication;
import io.dialerbridge.DialerView;
import io.dialerbridge.ProductionArguments;
import io.dialerbridge.emulator.EmulatorSettings;
import io.dialerbridge.emulator.SalesforceEmulator;
import io.dialerbridge.emulator.data.ChangeType;
import io.dialerbridge.emulator.data.RecordStore;
import io.dialerbridge.emulator.data.SObjectType;
import io.dialerbridge.emulator.streaming.StreamingEvent;
import io.dialerbridge.local.kafka.EmbeddedKafkaBroker;
import io.dialerbridge.replay.ReplayCheckpoints;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.camel.CamelContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The real thing the model is checked against: a Salesforce emulator, an embedded Kafka broker that can be stopped
 * and started again on the same port and data, and the bridge itself, in production mode, as a Spring context that
 * can be closed and started again. It also reads the bridge's three output topics (read_committed) and knows when
 * the bridge has quiesced.
 */
final class ModelBridge implements AutoCloseable {

    static final String USER = "005000000000001AAA";
    /** The local profile's intake key (application.yaml), so the test posts as the local dialer does. */
    static final String API_KEY = "local-dialer-key";
    static final String LEADS = "/topic/DialerLeads";
    static final String CONTACTS = "/data/ContactChangeEvent";
    static final String MEMBERS = "/data/CampaignMemberChangeEvent";
    static final String COMMANDS = "/event/Dialer_Command__e";
    static final List<String> CHANNELS = List.of(LEADS, CONTACTS, MEMBERS, COMMANDS);
    static final String SUPPRESS_GROUP = "dialer-bridge-disposition-suppressions";
    /** The producer's delivery timeout in the test; an outage lasts longer than this. */
    static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(3);
    static final Duration WAIT = Duration.ofSeconds(90);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path kafkaData = Path.of("target", "dnc-model-kafka", UUID.randomUUID().toString());
    private final HttpClient http = HttpClient.newHttpClient();
    private SalesforceEmulator emulator;
    private EmbeddedKafkaBroker broker;
    private int kafkaPort;
    private ConfigurableApplicationContext bridge;
    private KafkaConsumer<String, String> follower;
    private List<TopicPartition> partitions;
    private String markerContact;
    private String markerLead;
    private String markerMember;
    private int markerRound;
    private int sequences;

    ModelBridge start() throws Exception {
        emulator = new SalesforceEmulator(EmulatorSettings.dialerOrg()).start();
        startKafka(0);
        startBridge();
        markerContact = create(SObjectType.CONTACT, Map.of("LastName", "Marker"));
        markerLead = create(SObjectType.LEAD, Map.of("LastName", "Marker", "Company", "Markers"));
        String campaign = create(SObjectType.CAMPAIGN, Map.of("Name", "Markers"));
        markerMember = create(SObjectType.CAMPAIGN_MEMBER, Map.of("CampaignId", campaign, "ContactId",
                markerContact));
        quiesce();
        follower = new KafkaConsumer<>(consumerSettings());
        partitions = new ArrayList<>();
        for (String topic : List.of(DialerView.CONTACT_COMMANDS, DialerView.CAMPAIGN_CONTROL,
                DialerView.SUPPRESSIONS)) {
            follower.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        follower.assign(partitions);
        follower.seekToEnd(partitions);
        partitions.forEach(partition -> follower.position(partition, Duration.ofSeconds(30)));
        return this;
    }

    SalesforceEmulator emulator() {
        return emulator;
    }

    /** How many sequences this environment has run, so a long run starts a fresh one now and then. */
    int sequences() {
        return sequences;
    }

    void sequenceStarted() {
        sequences++;
    }

    boolean healthy() {
        return bridge != null && bridge.isActive() && broker != null && broker.isRunning();
    }

    // ---- Salesforce -----------------------------------------------------------------------------------------

    String create(SObjectType type, Map<String, ?> fields) {
        RecordStore.Transaction transaction = emulator.records().begin(USER, "test");
        String id = transaction.create(type, fields);
        transaction.commit();
        return id;
    }

    void update(SObjectType type, String id, Map<String, ?> fields) {
        RecordStore.Transaction transaction = emulator.records().begin(USER, "test");
        transaction.update(type, id, fields);
        transaction.commit();
    }

    /** Several updates in one Salesforce transaction. */
    void updateAll(SObjectType type, Map<String, Map<String, ?>> fieldsById) {
        RecordStore.Transaction transaction = emulator.records().begin(USER, "test");
        fieldsById.forEach((id, fields) -> transaction.update(type, id, fields));
        transaction.commit();
    }

    void delete(SObjectType type, String id) {
        RecordStore.Transaction transaction = emulator.records().begin(USER, "test");
        transaction.delete(type, id);
        transaction.commit();
    }

    void undelete(String id) {
        RecordStore.Transaction transaction = emulator.records().begin(USER, "test");
        transaction.undelete(id);
        transaction.commit();
    }

    void publishDialerCommand(String command, String recordId) {
        emulator.platformEvents().publish("Dialer_Command__e", Map.of("Command__c", command,
                "Record_Id__c", recordId), USER);
    }

    void gap(String contactId) {
        emulator.changeEvents().publishGap(SObjectType.CONTACT, contactId, ChangeType.UPDATE, USER, Instant.now());
    }

    void overflow(SObjectType type) {
        emulator.changeEvents().publishOverflow(type, USER, Instant.now());
    }

    /** Salesforce forgets every event it retains, as if the bridge had been away longer than the retention. */
    void purgeAllEvents() {
        emulator.bus().purge(null, emulator.bus().lastReplayId());
    }

    // ---- the dialer's intake ----------------------------------------------------------------------------------

    String postDoNotCall(String recordId, String e164) throws Exception {
        String callId = "dnc-model-" + UUID.randomUUID();
        Instant ended = Instant.now();
        Map<String, Object> disposition = new LinkedHashMap<>();
        disposition.put("callId", callId);
        disposition.put("recordId", recordId);
        disposition.put("disposition", "DO_NOT_CALL");
        disposition.put("phone", e164);
        disposition.put("agentId", "agent-model");
        disposition.put("startedAt", ended.minusSeconds(60).toString());
        disposition.put("endedAt", ended.toString());
        disposition.put("durationSeconds", 60);
        int port = Integer.parseInt(bridge.getEnvironment().getProperty("local.server.port"));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/dispositions"))
                .timeout(WAIT)
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + API_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(disposition),
                        StandardCharsets.UTF_8))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("The intake refused a valid DO_NOT_CALL disposition: "
                    + response.statusCode() + " " + response.body());
        }
        return callId;
    }

    // ---- lifecycle ------------------------------------------------------------------------------------------

    void startBridge() {
        List<String> arguments = new ArrayList<>(ProductionArguments.against(emulator, broker, API_KEY));
        arguments.addAll(List.of("--server.port=0",
                "--dialer.streams.dialer-control-generic.enabled=false",
                "--dialer.kafka.retry-delay-ms=100",
                // An outage longer than this makes batches expire, as issue 10 describes.
                "--camel.component.kafka.delivery-timeout-ms=" + DELIVERY_TIMEOUT.toMillis(),
                "--camel.component.kafka.request-timeout-ms=1000",
                "--camel.component.kafka.max-block-ms=2000",
                "--dialer.dispositions.batch.wait-ms=50",
                "--dialer.dispositions.suppress.wait-ms=20",
                "--spring.main.banner-mode=off"));
        bridge = new SpringApplicationBuilder(DialerBridgeApplication.class).run(arguments.toArray(String[]::new));
        Awaitility.await("the bridge subscribing to " + CHANNELS).atMost(WAIT).until(() -> CHANNELS.stream()
                .allMatch(channel -> emulator.streaming().subscriberCount(channel) > 0));
    }

    void stopBridge() {
        bridge.close();
        bridge = null;
        Awaitility.await("the stopped bridge leaving the channels").atMost(WAIT).until(() -> CHANNELS.stream()
                .allMatch(channel -> emulator.streaming().subscriberCount(channel) == 0));
    }

    void restartBridge() {
        stopBridge();
        startBridge();
    }

    private void startKafka(int port) {
        broker = EmbeddedKafkaBroker.builder().port(port).dataDirectory(kafkaData).start();
        kafkaPort = broker.port();
    }

    void stopKafka() {
        broker.close();
    }

    /** The same broker again: same port (the bridge's bootstrap address) and the same data. */
    void startKafkaAgain() {
        startKafka(kafkaPort);
    }

    /**
     * An outage is a length of time by definition: it must outlast the producer's delivery timeout, so that batches
     * sent meanwhile expire. This waits out that time; it is not used to wait for the bridge.
     */
    void outlastDeliveryTimeout() {
        Instant until = Instant.now().plus(DELIVERY_TIMEOUT).plusSeconds(1);
        Awaitility.await().pollDelay(Duration.between(Instant.now(), until)).atMost(DELIVERY_TIMEOUT.plusSeconds(5))
                .until(() -> !Instant.now().isBefore(until));
    }

    /**
     * One event on every channel the bridge reads, after everything else: once the bridge's checkpoints pass
     * them, everything queued before them on each channel (a resync after an expired replay id too) was handled.
     */
    void markChannels() {
        markerRound++;
        update(SObjectType.CONTACT, markerContact, Map.of("Email", "marker" + markerRound + "@example.com"));
        update(SObjectType.LEAD, markerLead, Map.of("Email", "marker" + markerRound + "@example.com"));
        update(SObjectType.CAMPAIGN_MEMBER, markerMember, Map.of("Status", markerRound % 2 == 0 ? "Sent"
                : "Responded"));
        emulator.platformEvents().publish("Dialer_Command__e", Map.of("Command__c", "BROADCAST",
                "Reason__c", "marker " + markerRound), USER);
    }

    /**
     * Waits until the bridge has handled every event Salesforce retains on its channels (each channel's checkpoint
     * has reached the channel's last event), no exchange is in flight (so asynchronous Kafka sends are acknowledged)
     * and the DO_NOT_CALL consumer has committed every disposition.
     */
    void quiesce() {
        CamelContext camel = bridge.getBean(CamelContext.class);
        ReplayCheckpoints checkpoints = bridge.getBean(ReplayCheckpoints.class);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers()))) {
            // a broker just started again answers the lag query with retriable errors (its group coordinator
            // still loading) for a while: they mean "not yet", and the wait still fails after WAIT
            Awaitility.await("the bridge to quiesce").atMost(WAIT).pollInterval(Duration.ofMillis(50))
                    .ignoreExceptionsMatching(e -> e instanceof java.util.concurrent.ExecutionException
                            && e.getCause() instanceof org.apache.kafka.common.errors.RetriableException)
                    .until(() -> behind(checkpoints).isEmpty() && camel.getInflightRepository().size() == 0
                            && suppressLag(admin) == 0);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("The bridge did not quiesce within " + WAIT + ": channels behind "
                    + behind(checkpoints) + ", exchanges in flight " + camel.getInflightRepository().size(), e);
        }
    }

    /** Channel to the last retained replay id the bridge's checkpoint has not reached. */
    private Map<String, Long> behind(ReplayCheckpoints checkpoints) {
        Map<String, Long> behind = new LinkedHashMap<>();
        Map<String, Long> reached = checkpoints.checkpoints();
        for (String channel : CHANNELS) {
            long checkpoint = reached.getOrDefault(channel, 0L);
            List<StreamingEvent> after = emulator.bus().eventsAfter(channel, checkpoint, Integer.MAX_VALUE);
            if (!after.isEmpty()) {
                behind.put(channel, after.get(after.size() - 1).replayId());
            }
        }
        return behind;
    }

    private static long suppressLag(Admin admin) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(SUPPRESS_GROUP)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        List<TopicPartition> dispositionPartitions = new ArrayList<>();
        admin.describeTopics(List.of("dialer.dispositions")).allTopicNames().get(10, TimeUnit.SECONDS)
                .get("dialer.dispositions").partitions()
                .forEach(info -> dispositionPartitions.add(new TopicPartition("dialer.dispositions",
                        info.partition())));
        Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
        dispositionPartitions.forEach(partition -> latest.put(partition, OffsetSpec.latest()));
        long lag = 0;
        for (var entry : admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).entrySet()) {
            OffsetAndMetadata done = committed.get(entry.getKey());
            lag += entry.getValue().offset() - (done == null ? 0 : done.offset());
        }
        return lag;
    }

    /** Hands every record the topics hold beyond what was read so far to the consumer, in partition order. */
    void readAll(Consumer<ConsumerRecord<String, String>> consumer) {
        Map<TopicPartition, Long> ends = follower.endOffsets(partitions, Duration.ofSeconds(30));
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (ends.entrySet().stream().anyMatch(end -> follower.position(end.getKey()) < end.getValue())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Could not read the bridge's topics up to " + ends);
            }
            follower.poll(Duration.ofMillis(100)).forEach(consumer);
        }
    }

    private Properties consumerSettings() {
        Properties settings = new Properties();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return settings;
    }

    @Override
    public void close() {
        List<AutoCloseable> parts = new ArrayList<>();
        if (follower != null) {
            parts.add(follower::close);
        }
        if (bridge != null) {
            parts.add(bridge::close);
        }
        if (broker != null) {
            parts.add(broker::close);
        }
        if (emulator != null) {
            parts.add(emulator::close);
        }
        for (AutoCloseable part : parts) {
            try {
                part.close();
            } catch (Exception e) {
                // closing everything matters more than the first failure
            }
        }
    }
}
