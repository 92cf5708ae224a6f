package io.dialerbridge.disposition;

import static io.dialerbridge.disposition.DispositionFixtures.failure;
import static io.dialerbridge.disposition.DispositionFixtures.json;
import static io.dialerbridge.disposition.DispositionFixtures.record;
import static io.dialerbridge.disposition.DispositionFixtures.success;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dialerbridge.disposition.DispositionFixtures.RecordingCommit;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DispositionPublishingTest {

    private final DefaultCamelContext camel = new DefaultCamelContext();
    private final PublishedCallRegistry published = new PublishedCallRegistry(10);
    private final DispositionsProperties.Retry retry = new DispositionsProperties.Retry();
    private final DispositionPublishing publishing = new DispositionPublishing(new DispositionValidator(), published,
            retry, 2, Clock.fixed(Instant.parse("2026-11-27T18:00:00Z"), ZoneOffset.UTC));
    private final List<String> commits = RecordingCommit.log();

    @AfterEach
    void close() throws Exception {
        camel.close();
    }

    private DispositionBatch batch(ConsumedRecord... records) {
        return DispositionBatch.open(List.of(records), new DispositionValidator(), published);
    }

    private Exchange exchange() {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getExchangeExtension().setFromRouteId("dispositions-publish");
        return exchange;
    }

    @Test
    void publishesInRequestsOfTheConfiguredSizeAndRemembersWhatWasAccepted() {
        DispositionBatch batch = batch(record(0, 1, json("a", "BUSY")), record(0, 2, json("b", "BUSY")),
                record(0, 3, json("c", "BUSY")));

        assertThat(publishing.nextRequest(batch)).hasSize(2);
        publishing.acceptResults(List.of(success(), success()), batch);
        assertThat(publishing.nextRequest(batch)).hasSize(1);
        publishing.acceptResults(List.of(success()), batch);

        assertThat(publishing.hasPending(batch)).isFalse();
        assertThat(published.contains("a") && published.contains("b") && published.contains("c")).isTrue();
        List<Message> entries = publishing.publishedCalls(batch, exchange());
        assertThat(entries).extracting(entry -> entry.getHeader(KafkaConstants.KEY)).containsExactly("a", "b", "c");
        assertThat(entries.get(0).getBody(String.class)).isEqualTo("{\"callId\":\"a\",\"recordId\":\""
                + DispositionFixtures.LEAD + "\",\"publishedAt\":\"2026-11-27T18:00:00Z\"}");
    }

    @Test
    void backsOffAfterTransientRefusalsAndGivesTheBatchBackWhenRetriesAreUsedUp() {
        retry.setAttempts(2);
        retry.setInitialDelayMs(100);
        DispositionBatch batch = batch(record(0, 1, json("a", "BUSY")));

        assertThat(publishing.backoffMillis(batch)).isZero();
        publishing.nextRequest(batch);
        publishing.acceptResults(List.of(failure("UNABLE_TO_LOCK_ROW")), batch);
        assertThat(publishing.backoffMillis(batch)).isEqualTo(100);
        publishing.nextRequest(batch);
        publishing.acceptResults(List.of(failure("UNABLE_TO_LOCK_ROW")), batch);
        assertThat(publishing.backoffMillis(batch)).isEqualTo(200);
        publishing.nextRequest(batch);
        publishing.acceptResults(List.of(failure("UNABLE_TO_LOCK_ROW")), batch);

        assertThatThrownBy(() -> publishing.backoffMillis(batch))
                .isInstanceOf(PublishRetriesExhaustedException.class);
        assertThat(published.contains("a")).isFalse();
    }

    @Test
    void deadLettersInvalidRecordsAndPermanentRefusals() {
        DispositionBatch batch = batch(record(0, 1, "{oops"), record(0, 2, json("b", "BUSY")));
        publishing.nextRequest(batch);
        publishing.acceptResults(List.of(failure("INVALID_FIELD", "Phone__c")), batch);

        List<Message> letters = publishing.deadLetters(batch, exchange());

        assertThat(letters).extracting(letter -> new String(letter.getHeader("dialer_dead_letter_reason",
                byte[].class), StandardCharsets.UTF_8)).containsExactly("MALFORMED_JSON", "SALESFORCE_REJECTED");
        assertThat(letters).allSatisfy(letter -> assertThat(new String(letter.getHeader("dialer_dead_letter_route",
                byte[].class), StandardCharsets.UTF_8)).isEqualTo("dispositions-publish"));
    }

    @Test
    void acknowledgesEveryPartitionOfTheBatch() {
        DispositionBatch batch = batch(
                record(0, 1, json("a", "BUSY"), new RecordingCommit(commits, "p0@1")),
                record(1, 9, "{oops", new RecordingCommit(commits, "p1@9")));

        publishing.acknowledge(batch);

        assertThat(commits).containsExactlyInAnyOrder("p0@1", "p1@9");
    }
}
