package io.dialerbridge.disposition;

import static io.dialerbridge.disposition.DispositionFixtures.failure;
import static io.dialerbridge.disposition.DispositionFixtures.json;
import static io.dialerbridge.disposition.DispositionFixtures.record;
import static io.dialerbridge.disposition.DispositionFixtures.success;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dialerbridge.disposition.DispositionBatch.State;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class DispositionBatchTest {

    private final DispositionValidator validator = new DispositionValidator();
    private final PublishedCallRegistry published = new PublishedCallRegistry(100);

    private DispositionBatch open(ConsumedRecord... records) {
        return DispositionBatch.open(List.of(records), validator, published);
    }

    private static List<State> states(DispositionBatch batch) {
        return batch.entries().stream().map(entry -> entry.state).toList();
    }

    @Nested
    class Opening {

        @Test
        void validRecordsArePendingInTopicOrder() {
            DispositionBatch batch = open(record(0, 1, json("a", "INTERESTED")), record(1, 7, json("b", "BUSY")));

            assertThat(states(batch)).containsExactly(State.PENDING, State.PENDING);
            assertThat(batch.hasPending()).isTrue();
        }

        @Test
        void aValueThatIsNotJsonIsDeadWithReasonMalformedJson() {
            DispositionBatch batch = open(record(0, 1, "{not json"), record(0, 2, null), record(0, 3, "  "));

            assertThat(states(batch)).containsOnly(State.DEAD);
            assertThat(batch.entries()).allSatisfy(entry -> {
                assertThat(entry.reason).isEqualTo(DispositionDeadLetters.Reason.MALFORMED_JSON);
                assertThat(entry.errors).extracting(FieldViolation::field).containsExactly("$");
            });
        }

        @Test
        void anInvalidDispositionIsDeadWithEveryViolation() {
            DispositionBatch batch = open(record(0, 1, "{\"callId\": 5, \"disposition\": \"DO_NOT_CALL\"}"));

            DispositionBatch.Entry entry = batch.entries().get(0);
            assertThat(entry.state).isEqualTo(State.DEAD);
            assertThat(entry.reason).isEqualTo(DispositionDeadLetters.Reason.INVALID_DISPOSITION);
            assertThat(entry.errors).extracting(FieldViolation::field)
                    .containsExactlyInAnyOrder("callId", "recordId", "phone");
        }

        @Test
        void aCallAlreadyPublishedIsADuplicate() {
            published.add("a");

            DispositionBatch batch = open(record(0, 1, json("a", "INTERESTED")));

            assertThat(states(batch)).containsExactly(State.DUPLICATE);
            assertThat(batch.hasPending()).isFalse();
        }

        @Test
        void theSecondRecordOfACallInOneBatchIsADuplicate() {
            DispositionBatch batch = open(record(0, 1, json("a", "INTERESTED")), record(0, 2, json("a", "BUSY")));

            assertThat(states(batch)).containsExactly(State.PENDING, State.DUPLICATE);
        }
    }

    /** Why #12: accepted call ids are recorded after every Salesforce answer, not when the whole batch is done. */
    @Nested
    class Recording {

        private List<String> takeToRecord(DispositionBatch batch) {
            return batch.takeToRecord().stream().map(entry -> entry.disposition.callId()).toList();
        }

        @Test
        void theCallsAcceptedByAnAnswerAreToRecordBeforeTheRestIsRetried() {
            DispositionBatch batch = open(record(0, 1, json("a", "BUSY")), record(0, 2, json("b", "BUSY")),
                    record(0, 3, json("c", "BUSY")));
            batch.nextRequest(200);
            batch.accept(List.of(success(), failure("UNABLE_TO_LOCK_ROW"), success()));

            assertThat(takeToRecord(batch)).containsExactly("a", "c");
            assertThat(takeToRecord(batch)).isEmpty();
            assertThat(batch.hasWork()).isTrue();

            batch.nextRequest(200);
            batch.accept(List.of(success()));

            assertThat(takeToRecord(batch)).containsExactly("b");
            assertThat(batch.hasWork()).isFalse();
        }

        @Test
        void aCallOnlyMemoryKnewAsPublishedIsRecordedOnce() {
            published.add("a");

            DispositionBatch batch = open(record(0, 1, json("a", "BUSY")), record(0, 2, json("a", "BUSY")));

            assertThat(batch.hasPending()).isFalse();
            assertThat(batch.hasWork()).isTrue();
            assertThat(takeToRecord(batch)).containsExactly("a");
            assertThat(batch.hasWork()).isFalse();
        }

        @Test
        void aRepeatWithinTheBatchOfANewCallIsNotRecordedTwice() {
            DispositionBatch batch = open(record(0, 1, json("a", "BUSY")), record(0, 2, json("a", "BUSY")));
            batch.nextRequest(200);
            batch.accept(List.of(success()));

            assertThat(takeToRecord(batch)).containsExactly("a");
        }
    }

    @Nested
    class Publishing {

        @Test
        void aRequestTakesAtMostTheRequestSizeOfPendingRecords() {
            ConsumedRecord[] records = IntStream.range(0, 5).mapToObj(i -> record(0, i, json("c" + i, "BUSY")))
                    .toArray(ConsumedRecord[]::new);
            DispositionBatch batch = open(records);

            List<CallDispositionSObject> request = batch.nextRequest(3);

            assertThat(request).extracting(CallDispositionSObject::getCall_Id__c).containsExactly("c0", "c1", "c2");
            batch.accept(List.of(success(), success(), success()));
            assertThat(batch.nextRequest(3)).extracting(CallDispositionSObject::getCall_Id__c)
                    .containsExactly("c3", "c4");
        }

        @Test
        void resultsApplyInRequestOrder() {
            DispositionBatch batch = open(record(0, 1, json("a", "BUSY")), record(0, 2, json("b", "BUSY")),
                    record(0, 3, json("c", "BUSY")));
            batch.nextRequest(200);

            List<DispositionBatch.Entry> accepted = batch.accept(List.of(success(),
                    failure("UNABLE_TO_LOCK_ROW"), failure("STRING_TOO_LONG", "Notes__c")));

            assertThat(accepted).extracting(entry -> entry.disposition.callId()).containsExactly("a");
            assertThat(states(batch)).containsExactly(State.PUBLISHED, State.PENDING, State.DEAD);
            DispositionBatch.Entry dead = batch.entries().get(2);
            assertThat(dead.reason).isEqualTo(DispositionDeadLetters.Reason.SALESFORCE_REJECTED);
            assertThat(dead.errors).containsExactly(new FieldViolation("Notes__c",
                    "STRING_TOO_LONG: refused: STRING_TOO_LONG"));
        }

        @Test
        void transientRefusalsCountRetryRoundsUntilAccepted() {
            DispositionBatch batch = open(record(0, 1, json("a", "BUSY")));
            List<Integer> rounds = new ArrayList<>();

            for (String code : List.of("REQUEST_LIMIT_EXCEEDED", "SERVER_UNAVAILABLE")) {
                batch.nextRequest(200);
                batch.accept(List.of(failure(code)));
                rounds.add(batch.retryRounds());
            }
            batch.nextRequest(200);
            batch.accept(List.of(success()));

            assertThat(rounds).containsExactly(1, 2);
            assertThat(states(batch)).containsExactly(State.PUBLISHED);
            assertThat(batch.hasPending()).isFalse();
        }

        @Test
        void anAnswerThatDoesNotMatchTheRequestIsAnError() {
            DispositionBatch batch = open(record(0, 1, json("a", "BUSY")), record(0, 2, json("b", "BUSY")));
            batch.nextRequest(200);

            assertThatThrownBy(() -> batch.accept(List.of(success()))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("1 results").hasMessageContaining("2 events");
        }
    }
}
