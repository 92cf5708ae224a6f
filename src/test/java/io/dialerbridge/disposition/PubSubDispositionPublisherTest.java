package io.dialerbridge.disposition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.salesforce.eventbus.protobuf.Error;
import com.salesforce.eventbus.protobuf.ErrorCode;
import com.salesforce.eventbus.protobuf.PublishResponse;
import com.salesforce.eventbus.protobuf.PublishResult;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.camel.component.salesforce.api.dto.SaveSObjectResult;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** How the Pub/Sub publisher builds its events and reads Salesforce's per-event results. */
class PubSubDispositionPublisherTest {

    static final Schema SCHEMA = new Schema.Parser().parse("""
            {"name":"Call_Disposition__e","namespace":"com.sforce.eventbus","type":"record","fields":[
             {"name":"CreatedDate","type":"long","doc":"CreatedDate:DateTime"},
             {"name":"CreatedById","type":"string","doc":"CreatedBy:EntityId"},
             {"name":"Call_Id__c","type":["null","string"],"doc":"Data:Text","default":null},
             {"name":"Call_Ended_At__c","type":["null","long"],"doc":"Data:DateTime","default":null},
             {"name":"Duration_Seconds__c","type":["null","double"],"doc":"Data:Double","default":null},
             {"name":"Agent_Id__c","type":["null","string"],"doc":"Data:Text","default":null}]}
            """);

    static Disposition disposition(String callId) {
        try {
            return new DispositionValidator().validate(DispositionJson.MAPPER.readTree(DispositionFixtures.json(callId,
                    "INTERESTED"))).value();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static PublishResult accepted(String key) {
        return PublishResult.newBuilder().setCorrelationKey(key).setReplayId(ByteString.copyFromUtf8("r")).build();
    }

    static PublishResult refused(String key, String message) {
        return PublishResult.newBuilder().setCorrelationKey(key)
                .setError(Error.newBuilder().setCode(ErrorCode.PUBLISH).setMsg(message)).build();
    }

    @Nested
    class Results {

        @Test
        void areMatchedToTheirEventsByCorrelationKeyWhateverTheOrder() {
            PublishResponse response = PublishResponse.newBuilder()
                    .addResults(refused("b", "LIMIT_EXCEEDED: the hourly allocation is used up"))
                    .addResults(accepted("a")).build();

            List<SaveSObjectResult> results = PubSubDispositionPublisher.results(List.of("a", "b"), response);

            assertThat(results.get(0).getSuccess()).isTrue();
            assertThat(results.get(1).getSuccess()).isFalse();
            assertThat(results.get(1).getErrors().get(0).getErrorCode()).isEqualTo("LIMIT_EXCEEDED");
            assertThat(results.get(1).getErrors().get(0).getMessage()).isEqualTo("the hourly allocation is used up");
        }

        @Test
        void anErrorWithoutASalesforceCodeIsNamedAfterItsPubSubCodeAndSoNotRetried() {
            SaveSObjectResult result = PubSubDispositionPublisher.saveResult("a",
                    refused("a", "The event is larger than 1 MB."));

            assertThat(result.getErrors().get(0).getErrorCode()).isEqualTo("PUBSUB_PUBLISH");
            assertThat(SalesforceRejections.isTransient(result.getErrors())).isFalse();
        }

        @Test
        void aResponseWithAnotherNumberOfResultsIsRefused() {
            PublishResponse response = PublishResponse.newBuilder().addResults(accepted("a")).build();

            assertThatThrownBy(() -> PubSubDispositionPublisher.results(List.of("a", "b"), response))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Nested
    class Events {

        @Test
        void theEventIdOfACallIsTheSameOnEveryAttemptAndDiffersBetweenCalls() {
            assertThat(PubSubDispositionPublisher.eventId(disposition("c-1")))
                    .isEqualTo(PubSubDispositionPublisher.eventId(disposition("c-1")))
                    .isNotEqualTo(PubSubDispositionPublisher.eventId(disposition("c-2")));
        }

        @Test
        void thePayloadIsAvroOfTheTopicSchemaWithDateTimesAsEpochMillis() throws IOException {
            Instant now = Instant.parse("2026-12-03T10:00:00Z");
            PubSubDispositionPublisher publisher = new PubSubDispositionPublisher(() -> null, Duration.ofSeconds(1),
                    Clock.fixed(now, ZoneOffset.UTC));

            byte[] payload = publisher.payload(SCHEMA, disposition("c-1"), "005000000000001AAA");

            GenericRecord read = new GenericDatumReader<GenericRecord>(SCHEMA)
                    .read(null, DecoderFactory.get().binaryDecoder(payload, null));
            assertThat(read.get("CreatedDate")).isEqualTo(now.toEpochMilli());
            assertThat(read.get("CreatedById").toString()).isEqualTo("005000000000001AAA");
            assertThat(read.get("Call_Id__c").toString()).isEqualTo("c-1");
            assertThat(read.get("Call_Ended_At__c")).isEqualTo(Instant.parse("2026-11-27T15:06:10Z").toEpochMilli());
            assertThat(read.get("Duration_Seconds__c")).isEqualTo(125.0);
            assertThat(read.get("Agent_Id__c")).isNull();
        }
    }
}
