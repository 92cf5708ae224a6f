package io.dialerbridge.emulator.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.salesforce.eventbus.protobuf.ConsumerEvent;
import com.salesforce.eventbus.protobuf.ErrorCode;
import com.salesforce.eventbus.protobuf.FetchRequest;
import com.salesforce.eventbus.protobuf.FetchResponse;
import com.salesforce.eventbus.protobuf.ProducerEvent;
import com.salesforce.eventbus.protobuf.PublishRequest;
import com.salesforce.eventbus.protobuf.PublishResponse;
import com.salesforce.eventbus.protobuf.ReplayPreset;
import com.salesforce.eventbus.protobuf.SchemaInfo;
import com.salesforce.eventbus.protobuf.SchemaRequest;
import com.salesforce.eventbus.protobuf.TopicInfo;
import com.salesforce.eventbus.protobuf.TopicRequest;
import io.dialerbridge.emulator.EmulatorSettings;
import io.dialerbridge.emulator.SalesforceEmulator;
import io.dialerbridge.emulator.data.RecordStore;
import io.dialerbridge.emulator.data.SObjectType;
import io.dialerbridge.emulator.streaming.StreamingEvent;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The emulator's Pub/Sub API on the wire, through a plain grpc-java client over TLS: the edges camel's client never
 * reaches (the demand cap, trailers, publish limits, keep-alives) and the shape of the events it serves.
 */
class PubSubWireIT {

    private static final String COMMANDS = "/event/Dialer_Command__e";
    private static final String CONTACTS = "/data/ContactChangeEvent";
    private static final Metadata.Key<String> ERROR_CODE =
            Metadata.Key.of("error-code", Metadata.ASCII_STRING_MARSHALLER);

    private SalesforceEmulator emulator;
    private PubSubTestClient client;

    @BeforeEach
    void start() throws Exception {
        emulator = new SalesforceEmulator(EmulatorSettings.dialerOrg()
                .pubSubKeepAliveInterval(Duration.ofMillis(300))).start();
        client = new PubSubTestClient(emulator);
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        emulator.close();
    }

    @Nested
    class Topics {

        @Test
        void aPlatformEventTopicCanBePublishedToAndItsSchemaIdIsTheMd5FingerprintOfTheSchema() {
            TopicInfo topic = client.blocking().getTopic(TopicRequest.newBuilder().setTopicName(COMMANDS).build());
            assertThat(topic.getTopicName()).isEqualTo(COMMANDS);
            assertThat(topic.getTenantGuid()).isEqualTo(emulator.settings().orgId());
            assertThat(topic.getCanPublish()).isTrue();
            assertThat(topic.getCanSubscribe()).isTrue();
            assertThat(topic.getSchemaId()).hasSize(22).matches("[A-Za-z0-9_-]+");
            assertThat(topic.getRpcId()).isNotEmpty();

            SchemaInfo schema = client.blocking().getSchema(SchemaRequest.newBuilder()
                    .setSchemaId(topic.getSchemaId()).build());
            Schema avro = new Schema.Parser().parse(schema.getSchemaJson());
            assertThat(schema.getSchemaId()).isEqualTo(topic.getSchemaId()).isEqualTo(md5Fingerprint(avro));
            assertThat(avro.getFullName()).isEqualTo("com.sforce.eventbus.Dialer_Command__e");
            assertThat(avro.getField("CreatedDate").schema().getType()).isEqualTo(Schema.Type.LONG);
            assertThat(avro.getField("CreatedById").schema().getType()).isEqualTo(Schema.Type.STRING);
            assertThat(avro.getField("Command__c").schema().getTypes()).extracting(Schema::getType)
                    .containsExactly(Schema.Type.NULL, Schema.Type.STRING);
        }

        @Test
        void aChangeEventTopicIsReadOnlyWithTheHeaderFirstAndTheNameCompound() {
            TopicInfo topic = client.blocking().getTopic(TopicRequest.newBuilder().setTopicName(CONTACTS).build());
            assertThat(topic.getCanPublish()).isFalse();
            Schema avro = schema(topic.getSchemaId());
            assertThat(avro.getFields().get(0).name()).isEqualTo("ChangeEventHeader");
            assertThat(avro.getFields().get(0).schema().getField("changeType").schema().getType())
                    .isEqualTo(Schema.Type.ENUM);
            Schema name = avro.getField("Name").schema().getTypes().get(1);
            assertThat(name.getName()).isEqualTo("Switchable_PersonName");
            assertThat(name.getFields()).extracting(Schema.Field::name)
                    .containsExactly("Salutation", "FirstName", "LastName");
            assertThat(avro.getField("FirstName")).isNull();
            assertThat(avro.getField("LastModifiedDate").schema().getTypes().get(1).getType())
                    .isEqualTo(Schema.Type.LONG);
        }

        @Test
        void anUnknownTopicIsNotFoundWithSalesforcesErrorCode() {
            assertThatThrownBy(() -> client.blocking().getTopic(TopicRequest.newBuilder()
                    .setTopicName("/event/No_Such__e").build()))
                    .satisfies(error -> assertFailure(error, Status.Code.NOT_FOUND,
                            "sfdc.platform.eventbus.grpc.subscription.topic.notfound"));
        }

        @Test
        void pushTopicsAndGenericChannelsAreNotPubSubTopics() {
            assertThatThrownBy(() -> client.blocking().getTopic(TopicRequest.newBuilder()
                    .setTopicName("/u/DialerControl").build()))
                    .satisfies(error -> assertFailure(error, Status.Code.NOT_FOUND,
                            "sfdc.platform.eventbus.grpc.subscription.topic.notfound"));
        }
    }

    @Nested
    class Subscribe {

        @Test
        void demandIsCappedAtOneHundredOutstandingAndPendingSaysWhatIsLeft() {
            for (int i = 0; i < 150; i++) {
                publishCommand("C" + i);
            }
            PubSubTestClient.Stream stream = client.subscribe(first(COMMANDS, ReplayPreset.EARLIEST, 500));
            stream.awaitEvents(100);
            assertThat(stream.last().getPendingNumRequested()).isZero();

            stream.request(7);
            stream.awaitEvents(107);
            // Responses arrive in order: had the first request been honoured beyond 100, those events would be here.
            assertThat(stream.eventCount()).isEqualTo(107);
            assertThat(stream.last().getPendingNumRequested()).isZero();
            stream.cancel();
        }

        @Test
        void pendingCountsTheDemandNoEventHasMetYet() {
            for (int i = 0; i < 3; i++) {
                publishCommand("C" + i);
            }
            PubSubTestClient.Stream stream = client.subscribe(first(COMMANDS, ReplayPreset.EARLIEST, 5));
            stream.awaitEvents(3);
            assertThat(stream.last().getPendingNumRequested()).isEqualTo(2);

            publishCommand("C3");
            stream.awaitEvents(4);
            assertThat(stream.last().getPendingNumRequested()).isEqualTo(1);
            stream.cancel();
        }

        @Test
        void replayIdsAreTheBusPositionsAndCustomResumesAfterTheOneGiven() {
            long first = publishCommand("A");
            long second = publishCommand("B");
            long third = publishCommand("C");
            PubSubTestClient.Stream all = client.subscribe(first(COMMANDS, ReplayPreset.EARLIEST, 10));
            all.awaitEvents(3);
            assertThat(all.events()).extracting(event -> position(event.getReplayId()))
                    .containsExactly(first, second, third);
            all.cancel();

            PubSubTestClient.Stream resumed = client.subscribe(FetchRequest.newBuilder().setTopicName(COMMANDS)
                    .setReplayPreset(ReplayPreset.CUSTOM).setReplayId(all.events().get(1).getReplayId())
                    .setNumRequested(10).build());
            resumed.awaitEvents(1);
            assertThat(resumed.events()).extracting(event -> position(event.getReplayId())).containsExactly(third);
            resumed.cancel();
        }

        @Test
        void latestDeliversOnlyEventsPublishedAfterTheSubscribe() {
            publishCommand("old");
            PubSubTestClient.Stream stream = client.subscribe(first(COMMANDS, ReplayPreset.LATEST, 10));
            awaitSubscribers(COMMANDS, 1);
            long fresh = publishCommand("new");
            stream.awaitEvents(1);
            assertThat(stream.events()).extracting(event -> position(event.getReplayId())).containsExactly(fresh);
            stream.cancel();
        }

        @Test
        void anIdleStreamWithDemandGetsEmptyKeepAlivesCarryingItsPosition() {
            long last = publishCommand("before");
            PubSubTestClient.Stream stream = client.subscribe(first(COMMANDS, ReplayPreset.LATEST, 10));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !stream.responses.isEmpty());
            FetchResponse keepAlive = stream.responses.get(0);
            assertThat(keepAlive.getEventsCount()).isZero();
            assertThat(position(keepAlive.getLatestReplayId())).isEqualTo(last);
            assertThat(keepAlive.getPendingNumRequested()).isEqualTo(10);
            stream.cancel();
        }

        @Test
        void aReplayIdThatIsNotOneIsCorrupted() {
            PubSubTestClient.Stream stream = client.subscribe(FetchRequest.newBuilder().setTopicName(COMMANDS)
                    .setReplayPreset(ReplayPreset.CUSTOM).setReplayId(ByteString.copyFromUtf8("abc"))
                    .setNumRequested(1).build());
            assertFailure(stream.awaitError(), Status.Code.INVALID_ARGUMENT,
                    "sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted");
        }

        @Test
        void aReplayIdWhoseSuccessorsWerePurgedIsCorrupted() throws Exception {
            long first = publishCommand("A");
            publishCommand("B");
            client.admin("POST", "/events/purge?throughReplayId=" + first + "&channel=" + COMMANDS);
            PubSubTestClient.Stream stream = client.subscribe(FetchRequest.newBuilder().setTopicName(COMMANDS)
                    .setReplayPreset(ReplayPreset.CUSTOM).setReplayId(FetchStream.replayId(first - 1))
                    .setNumRequested(1).build());
            assertFailure(stream.awaitError(), Status.Code.INVALID_ARGUMENT,
                    "sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted");
        }

        @Test
        void anUnknownTopicEndsTheStream() {
            PubSubTestClient.Stream stream = client.subscribe(first("/event/No_Such__e", ReplayPreset.LATEST, 1));
            assertFailure(stream.awaitError(), Status.Code.NOT_FOUND,
                    "sfdc.platform.eventbus.grpc.subscription.topic.notfound");
        }

        @Test
        void aCallWithoutALiveTokenOrForAnotherOrgIsRefusedAsAnAuthError() {
            PubSubTestClient.Stream noToken = client.subscribe((String) null, first(COMMANDS, ReplayPreset.LATEST, 1));
            assertFailure(noToken.awaitError(), Status.Code.UNAUTHENTICATED,
                    "sfdc.platform.eventbus.grpc.service.auth.error");
            PubSubTestClient.Stream unknown = client.subscribe("00D000000000001!ARnot-a-token",
                    first(COMMANDS, ReplayPreset.LATEST, 1));
            assertFailure(unknown.awaitError(), Status.Code.UNAUTHENTICATED,
                    "sfdc.platform.eventbus.grpc.service.auth.error");
        }

        @Test
        void expiringTheTokensEndsOpenStreamsWithTheAuthError() throws Exception {
            PubSubTestClient.Stream stream = client.subscribe(first(COMMANDS, ReplayPreset.LATEST, 10));
            awaitSubscribers(COMMANDS, 1);
            client.admin("POST", "/tokens/expire");
            assertFailure(stream.awaitError(), Status.Code.UNAUTHENTICATED,
                    "sfdc.platform.eventbus.grpc.service.auth.error");
            awaitSubscribers(COMMANDS, 0);
        }

        @Test
        void theServerCanEndStreamsNormallyOrWithAnError() throws Exception {
            PubSubTestClient.Stream completed = client.subscribe(first(COMMANDS, ReplayPreset.LATEST, 10));
            awaitSubscribers(COMMANDS, 1);
            assertThat(client.admin("POST", "/pubsub/streams/end")).contains("\"ended\":1");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> completed.completed);

            PubSubTestClient.Stream failed = client.subscribe(first(COMMANDS, ReplayPreset.LATEST, 10));
            awaitSubscribers(COMMANDS, 1);
            client.admin("POST", "/pubsub/streams/end?error=true");
            assertFailure(failed.awaitError(), Status.Code.UNAVAILABLE,
                    "sfdc.platform.eventbus.grpc.service.unavailable");
        }

        @Test
        void theAdminApiReportsSubscribersPerChannelForBothApis() throws Exception {
            PubSubTestClient.Stream stream = client.subscribe(first(CONTACTS, ReplayPreset.LATEST, 10));
            awaitSubscribers(CONTACTS, 1);
            assertThat(client.admin("GET", "/subscribers"))
                    .contains("\"pubsub\":{\"/data/ContactChangeEvent\":1}").contains("\"cometd\":{}");
            stream.cancel();
            awaitSubscribers(CONTACTS, 0);
        }

        @Test
        void whileBusyEveryCallIsRefusedAsUnavailable() throws Exception {
            client.admin("POST", "/busy?count=1&api=pubsub");
            assertThatThrownBy(() -> client.blocking().getTopic(TopicRequest.newBuilder().setTopicName(COMMANDS)
                    .build()))
                    .satisfies(error -> assertFailure(error, Status.Code.UNAVAILABLE,
                            "sfdc.platform.eventbus.grpc.service.unavailable"));
            assertThat(client.blocking().getTopic(TopicRequest.newBuilder().setTopicName(COMMANDS).build())
                    .getCanPublish()).isTrue();
        }
    }

    @Nested
    class ChangeEvents {

        @Test
        void anUpdateNamesWhatChangedAndWhatWasClearedInBitmapsWithDatesAsEpochMillis() {
            String id = create(Map.of("FirstName", "Ada", "LastName", "Lovelace", "Phone", "(415) 555-0134",
                    "Email", "ada@example.com"));
            Map<String, Object> change = new HashMap<>();
            change.put("Phone", null);
            change.put("LastName", "King");
            update(id, change);

            PubSubTestClient.Stream stream = client.subscribe(first(CONTACTS, ReplayPreset.EARLIEST, 10));
            stream.awaitEvents(2);
            Schema schema = schema(stream.events().get(1).getEvent().getSchemaId());

            GenericRecord created = decode(schema, stream.events().get(0));
            GenericRecord createdHeader = (GenericRecord) created.get("ChangeEventHeader");
            assertThat(createdHeader.get("changeType").toString()).isEqualTo("CREATE");
            assertThat((List<?>) createdHeader.get("changedFields")).isEmpty();
            assertThat(created.get("Phone").toString()).isEqualTo("(415) 555-0134");
            assertThat(((GenericRecord) created.get("Name")).get("FirstName").toString()).isEqualTo("Ada");
            assertThat(created.get("CreatedDate")).isInstanceOf(Long.class);

            GenericRecord updated = decode(schema, stream.events().get(1));
            GenericRecord header = (GenericRecord) updated.get("ChangeEventHeader");
            assertThat(header.get("changeType").toString()).isEqualTo("UPDATE");
            assertThat(header.get("entityName").toString()).isEqualTo("Contact");
            assertThat(strings(header.get("recordIds"))).containsExactly(id);
            assertThat(fieldNames(schema, strings(header.get("changedFields"))))
                    .containsExactlyInAnyOrder("Phone", "Name.LastName", "LastModifiedDate");
            assertThat(fieldNames(schema, strings(header.get("nulledFields")))).containsExactly("Phone");
            assertThat((List<?>) header.get("diffFields")).isEmpty();
            assertThat(updated.get("Phone")).isNull();
            assertThat(updated.get("Email")).as("unchanged fields are null").isNull();
            assertThat(((GenericRecord) updated.get("Name")).get("LastName").toString()).isEqualTo("King");
            assertThat(((GenericRecord) updated.get("Name")).get("FirstName")).isNull();
            Instant modified = (Instant) emulator.records().records(SObjectType.CONTACT).get(0)
                    .get("LastModifiedDate");
            assertThat(updated.get("LastModifiedDate")).isEqualTo(modified.toEpochMilli());
            assertThat(header.get("commitTimestamp")).isEqualTo(modified.toEpochMilli());
            stream.cancel();
        }

        @Test
        void theAllChangesTopicCarriesEachEventInItsEntitysSchema() {
            create(Map.of("LastName", "Hopper"));
            PubSubTestClient.Stream stream = client.subscribe(first("/data/ChangeEvents", ReplayPreset.EARLIEST,
                    10));
            stream.awaitEvents(1);
            String schemaId = stream.events().get(0).getEvent().getSchemaId();
            assertThat(schemaId).isEqualTo(client.blocking().getTopic(TopicRequest.newBuilder()
                    .setTopicName(CONTACTS).build()).getSchemaId());
            stream.cancel();
        }

        @Test
        void aGapEventCarriesTheHeaderAlone() throws Exception {
            String id = create(Map.of("LastName", "Hopper"));
            long gap = emulator.changeEvents().publishGap(SObjectType.CONTACT, id,
                    io.dialerbridge.emulator.data.ChangeType.UPDATE, emulator.settings().userId(), Instant.now());
            PubSubTestClient.Stream stream = client.subscribe(FetchRequest.newBuilder().setTopicName(CONTACTS)
                    .setReplayPreset(ReplayPreset.CUSTOM).setReplayId(FetchStream.replayId(gap - 1))
                    .setNumRequested(1).build());
            stream.awaitEvents(1);
            Schema schema = schema(stream.events().get(0).getEvent().getSchemaId());
            GenericRecord event = decode(schema, stream.events().get(0));
            assertThat(((GenericRecord) event.get("ChangeEventHeader")).get("changeType").toString())
                    .isEqualTo("GAP_UPDATE");
            assertThat(event.get("Phone")).isNull();
            assertThat(event.get("Name")).isNull();
            stream.cancel();
        }
    }

    @Nested
    class Publish {

        @Test
        void eachEventGetsItsOwnResultAndPublishedEventsAreOnTheBusForCometdToo() throws Exception {
            TopicInfo topic = client.blocking().getTopic(TopicRequest.newBuilder().setTopicName(COMMANDS).build());
            Schema schema = schema(topic.getSchemaId());
            PublishResponse response = client.blocking().publish(PublishRequest.newBuilder()
                    .setTopicName(COMMANDS)
                    .addEvents(ProducerEvent.newBuilder().setId("my-key-1").setSchemaId(topic.getSchemaId())
                            .setPayload(command(schema, "PAUSE_CAMPAIGN")))
                    .addEvents(ProducerEvent.newBuilder().setSchemaId("AAAAAAAAAAAAAAAAAAAAAA")
                            .setPayload(command(schema, "WRONG_SCHEMA")))
                    .addEvents(ProducerEvent.newBuilder().setSchemaId(topic.getSchemaId())
                            .setPayload(ByteString.copyFrom(new byte[] {(byte) 0xff, (byte) 0xff, 1})))
                    .build());

            assertThat(response.getSchemaId()).isEqualTo(topic.getSchemaId());
            assertThat(response.getResultsList()).hasSize(3);
            assertThat(response.getResults(0).hasError()).isFalse();
            assertThat(response.getResults(0).getCorrelationKey()).isEqualTo("my-key-1");
            assertThat(response.getResults(1).getError().getCode()).isEqualTo(ErrorCode.PUBLISH);
            assertThat(response.getResults(2).getError().getCode()).isEqualTo(ErrorCode.PUBLISH);

            long replayId = position(response.getResults(0).getReplayId());
            List<StreamingEvent> onTheBus = emulator.bus().eventsAfter(COMMANDS, 0, Integer.MAX_VALUE);
            assertThat(onTheBus).hasSize(1);
            assertThat(onTheBus.get(0).replayId()).isEqualTo(replayId);
            Map<?, ?> payload = (Map<?, ?>) onTheBus.get(0).data().get("payload");
            assertThat(payload.get("Command__c")).isEqualTo("PAUSE_CAMPAIGN");
            assertThat(((Map<?, ?>) onTheBus.get(0).data().get("event")).get("EventUuid")).isEqualTo("my-key-1");
            assertThat(client.admin("GET", "/api-calls")).doesNotContain("/services/data")
                    .contains("RPC eventbus.v1.PubSub/Publish");
        }

        @Test
        void moreThanTwoHundredEventsInOneRequestAreRefusedWhole() {
            TopicInfo topic = client.blocking().getTopic(TopicRequest.newBuilder().setTopicName(COMMANDS).build());
            ByteString payload = command(schema(topic.getSchemaId()), "X");
            PublishRequest.Builder request = PublishRequest.newBuilder().setTopicName(COMMANDS);
            for (int i = 0; i < 201; i++) {
                request.addEvents(ProducerEvent.newBuilder().setSchemaId(topic.getSchemaId()).setPayload(payload));
            }
            assertThatThrownBy(() -> client.blocking().publish(request.build()))
                    .satisfies(error -> assertFailure(error, Status.Code.INVALID_ARGUMENT,
                            "sfdc.platform.eventbus.grpc.publish.limit.exceeded"));
            assertThat(emulator.bus().eventsAfter(COMMANDS, 0, Integer.MAX_VALUE)).isEmpty();

            request.removeEvents(200);
            assertThat(client.blocking().publish(request.build()).getResultsList())
                    .allSatisfy(result -> assertThat(result.hasError()).isFalse()).hasSize(200);
        }

        @Test
        void aRequestOverThreeMegabytesIsRefusedWholeAndAnEventOverOneOnItsOwn() {
            TopicInfo topic = client.blocking().getTopic(TopicRequest.newBuilder().setTopicName(COMMANDS).build());
            Schema schema = schema(topic.getSchemaId());
            ByteString big = command(schema, "x".repeat(900 * 1024));
            PublishRequest.Builder request = PublishRequest.newBuilder().setTopicName(COMMANDS);
            for (int i = 0; i < 4; i++) {
                request.addEvents(ProducerEvent.newBuilder().setSchemaId(topic.getSchemaId()).setPayload(big));
            }
            assertThatThrownBy(() -> client.blocking().publish(request.build()))
                    .satisfies(error -> assertFailure(error, Status.Code.INVALID_ARGUMENT,
                            "sfdc.platform.eventbus.grpc.publish.limit.exceeded"));

            PublishResponse tooLarge = client.blocking().publish(PublishRequest.newBuilder().setTopicName(COMMANDS)
                    .addEvents(ProducerEvent.newBuilder().setSchemaId(topic.getSchemaId())
                            .setPayload(command(schema, "x".repeat(1100 * 1024))))
                    .addEvents(ProducerEvent.newBuilder().setSchemaId(topic.getSchemaId())
                            .setPayload(command(schema, "small")))
                    .build());
            assertThat(tooLarge.getResults(0).getError().getCode()).isEqualTo(ErrorCode.PUBLISH);
            assertThat(tooLarge.getResults(1).hasError()).isFalse();
        }

        @Test
        void publishStreamAnswersEachRequestWithItsResults() {
            TopicInfo topic = client.blocking().getTopic(TopicRequest.newBuilder().setTopicName(COMMANDS).build());
            ByteString payload = command(schema(topic.getSchemaId()), "STREAMED");
            List<PublishResponse> responses = new java.util.concurrent.CopyOnWriteArrayList<>();
            io.grpc.stub.StreamObserver<PublishRequest> requests = client.publishStream(responses);
            for (int i = 0; i < 2; i++) {
                requests.onNext(PublishRequest.newBuilder().setTopicName(COMMANDS)
                        .addEvents(ProducerEvent.newBuilder().setSchemaId(topic.getSchemaId()).setPayload(payload))
                        .build());
            }
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> responses.size() == 2);
            requests.onCompleted();
            assertThat(responses).allSatisfy(response -> assertThat(response.getResults(0).hasError()).isFalse());
            assertThat(emulator.bus().eventsAfter(COMMANDS, 0, Integer.MAX_VALUE)).hasSize(2);
        }

        @Test
        void changeEventsCannotBePublished() {
            assertThatThrownBy(() -> client.blocking().publish(PublishRequest.newBuilder().setTopicName(CONTACTS)
                    .addEvents(ProducerEvent.newBuilder().setPayload(ByteString.EMPTY)).build()))
                    .satisfies(error -> assertThat(((StatusRuntimeException) error).getStatus().getCode())
                            .isEqualTo(Status.Code.PERMISSION_DENIED));
        }
    }

    private long publishCommand(String command) {
        return emulator.platformEvents().publish("Dialer_Command__e", Map.of("Command__c", command),
                emulator.settings().userId()).replayId();
    }

    private String create(Map<String, ?> fields) {
        RecordStore.Transaction transaction = emulator.records().begin(emulator.settings().userId(), "test");
        String id = transaction.create(SObjectType.CONTACT, fields);
        transaction.commit();
        return id;
    }

    private void update(String id, Map<String, ?> fields) {
        RecordStore.Transaction transaction = emulator.records().begin(emulator.settings().userId(), "test");
        transaction.update(SObjectType.CONTACT, id, fields);
        transaction.commit();
    }

    private void awaitSubscribers(String topic, int count) {
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> emulator.pubSub().subscriberCounts().getOrDefault(topic, 0) == count);
    }

    private Schema schema(String schemaId) {
        return new Schema.Parser().parse(client.blocking().getSchema(SchemaRequest.newBuilder()
                .setSchemaId(schemaId).build()).getSchemaJson());
    }

    private static FetchRequest first(String topic, ReplayPreset preset, int count) {
        return FetchRequest.newBuilder().setTopicName(topic).setReplayPreset(preset).setNumRequested(count).build();
    }

    private static long position(ByteString replayId) {
        assertThat(replayId.size()).isEqualTo(8);
        return ByteBuffer.wrap(replayId.toByteArray()).getLong();
    }

    private static String md5Fingerprint(Schema schema) {
        try {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(SchemaNormalization.parsingFingerprint("MD5", schema));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static GenericRecord decode(Schema schema, ConsumerEvent event) {
        try {
            return new GenericDatumReader<GenericRecord>(schema).read(null,
                    DecoderFactory.get().binaryDecoder(event.getEvent().getPayload().toByteArray(), null));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ByteString command(Schema schema, String command) {
        GenericRecord record = new GenericData.Record(schema);
        record.put("CreatedDate", System.currentTimeMillis());
        record.put("CreatedById", "005000000000001");
        record.put("Command__c", command);
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
            new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
            encoder.flush();
            return ByteString.copyFrom(bytes.toByteArray());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> strings(Object avroArray) {
        List<String> strings = new ArrayList<>();
        ((List<?>) avroArray).forEach(item -> strings.add(item.toString()));
        return strings;
    }

    /** Decodes bitmaps as Salesforce's documentation says a subscriber must: bit i is schema field i. */
    private static Set<String> fieldNames(Schema schema, List<String> bitmaps) {
        Set<String> names = new LinkedHashSet<>();
        for (String bitmap : bitmaps) {
            int dash = bitmap.indexOf('-');
            Schema record = schema;
            String prefix = "";
            if (dash > 0) {
                Schema.Field parent = schema.getFields().get(Integer.parseInt(bitmap.substring(0, dash)));
                record = parent.schema().getTypes().get(1);
                prefix = parent.name() + ".";
            }
            BigInteger bits = new BigInteger(bitmap.substring(bitmap.indexOf("0x") + 2), 16);
            for (int i = 0; i < bits.bitLength(); i++) {
                if (bits.testBit(i)) {
                    names.add(prefix + record.getFields().get(i).name());
                }
            }
        }
        return names;
    }

    private static void assertFailure(Throwable error, Status.Code code, String errorCode) {
        assertThat(error).isInstanceOf(StatusRuntimeException.class);
        StatusRuntimeException failure = (StatusRuntimeException) error;
        assertThat(failure.getStatus().getCode()).isEqualTo(code);
        assertThat(failure.getStatus().getDescription()).contains("rpcId: ");
        assertThat(failure.getTrailers().get(ERROR_CODE)).isEqualTo(errorCode);
    }
}
