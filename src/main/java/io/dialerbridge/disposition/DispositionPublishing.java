package io.dialerbridge.disposition;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import io.micrometer.core.instrument.Metrics;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Message;
import org.apache.camel.component.salesforce.api.dto.SaveSObjectResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the publishing route, from dispositions-topic records to {@code Call_Disposition__e} events. It opens
 * the batch, builds each sObject Collections request, applies Salesforce's per-record answers with backoff for
 * transient refusals, records the accepted call ids after every answer, then says what is dead, and commits the batch's
 * offsets.
 *
 * <p>The batch travels in the exchange property {@value #BATCH}; the message body is whatever the current step sends
 * (the request, the published-calls entries, the dead letters).
 */
public class DispositionPublishing {

    private static final Logger LOG = LoggerFactory.getLogger(DispositionPublishing.class);

    public static final String BATCH = "dialerDispositionBatch";

    private final DispositionValidator validator;
    private final PublishedCallRegistry published;
    private final DispositionsProperties.Retry retry;
    private final int requestSize;
    private final Clock clock;

    public DispositionPublishing(DispositionValidator validator, PublishedCallRegistry published,
            DispositionsProperties.Retry retry, int requestSize, Clock clock) {
        if (requestSize < 1 || requestSize > DispositionsProperties.SALESFORCE_COLLECTION_LIMIT) {
            throw new IllegalArgumentException("requestSize must be 1.." + DispositionsProperties.SALESFORCE_COLLECTION_LIMIT
                    + ", got " + requestSize);
        }
        this.validator = validator;
        this.published = published;
        this.retry = retry;
        this.requestSize = requestSize;
        this.clock = clock;
        // On the scrape from the start, at 0, for the dashboard and the alert on failing dispositions.
        for (String outcome : List.of("published", "duplicate", "dead-lettered")) {
            Metrics.counter("dialer.dispositions", "outcome", outcome);
        }
        Metrics.counter("dialer.salesforce.calls", "operation", "compositeCreateSObjectCollections");
        Metrics.summary("dialer.dispositions.batch.size");
    }

    /** Opens the batch camel-kafka's batching consumer delivered (a list of one exchange per record). */
    public void open(@Body List<Exchange> records, Exchange exchange) {
        DispositionBatch batch = DispositionBatch.open(records.stream().map(ConsumedRecord::of).toList(), validator,
                published);
        exchange.setProperty(BATCH, batch);
        LOG.debug("Opened {}", batch);
    }

    public boolean hasPending(@ExchangeProperty(BATCH) DispositionBatch batch) {
        return batch.hasPending();
    }

    /** Whether the batch still has records to publish or published call ids to record. */
    public boolean hasWork(@ExchangeProperty(BATCH) DispositionBatch batch) {
        return batch.hasWork();
    }

    /**
     * How long to wait before the next request: nothing for the first, exponential backoff after a request whose
     * records Salesforce refused for transient reasons.
     *
     * @throws PublishRetriesExhaustedException once the retries are used up, so the batch is read again later
     */
    public long backoffMillis(@ExchangeProperty(BATCH) DispositionBatch batch) {
        int rounds = batch.retryRounds();
        if (rounds > retry.getAttempts()) {
            throw new PublishRetriesExhaustedException(batch.inState(DispositionBatch.State.PENDING).size(),
                    retry.getAttempts());
        }
        return retry.delayBefore(rounds);
    }

    /** The next sObject Collections request: at most {@code requestSize} events, in topic order. */
    public List<CallDispositionSObject> nextRequest(@ExchangeProperty(BATCH) DispositionBatch batch) {
        return batch.nextRequest(requestSize);
    }

    /**
     * The next Pub/Sub {@code Publish} request's dispositions: at most {@code requestSize}, in topic order (the
     * {@link PubSubDispositionPublisher} counts its own calls).
     */
    public List<Disposition> nextEvents(@ExchangeProperty(BATCH) DispositionBatch batch) {
        return batch.nextDispositions(requestSize);
    }

    /** Applies the per-record answers; accepted call ids are remembered at once, before the log is appended. */
    public void acceptResults(@Body List<SaveSObjectResult> results, @ExchangeProperty(BATCH) DispositionBatch batch) {
        Metrics.counter("dialer.salesforce.calls", "operation", "compositeCreateSObjectCollections").increment();
        acceptPublishResults(results, batch);
    }

    /** {@link #acceptResults} for the per-event answers of a Pub/Sub {@code Publish}, in the same shape. */
    public void acceptPublishResults(@Body List<SaveSObjectResult> results,
            @ExchangeProperty(BATCH) DispositionBatch batch) {
        Metrics.summary("dialer.dispositions.batch.size").record(results == null ? 0 : results.size());
        for (DispositionBatch.Entry entry : batch.accept(results)) {
            published.add(entry.disposition.callId());
        }
        if (!batch.transientCodes().isEmpty()) {
            LOG.warn("Salesforce refused {} event(s) for now ({}); retry {} of {} in {} ms",
                    batch.transientCodes().size(), batch.transientCodes().stream().distinct().toList(),
                    batch.retryRounds(), retry.getAttempts(), retry.delayBefore(batch.retryRounds()));
        }
    }

    /**
     * The published-calls entries to write now: the events Salesforce accepted in its last response, and the call ids
     * memory alone knew as published. Written after every response, before the rest is retried, so a crash during
     * the retries of a partly accepted batch does not publish the accepted events again.
     */
    public List<Message> publishedCalls(@ExchangeProperty(BATCH) DispositionBatch batch, Exchange exchange) {
        Instant now = clock.instant();
        return batch.takeToRecord().stream()
                .map(entry -> PublishedCallLog.entry(exchange.getContext(), entry.disposition, now))
                .toList();
    }

    /** The dead letters of this batch: invalid records and events Salesforce refused for good. */
    public List<Message> deadLetters(@ExchangeProperty(BATCH) DispositionBatch batch, Exchange exchange) {
        Instant now = clock.instant();
        String routeId = exchange.getFromRouteId();
        List<DispositionBatch.Entry> dead = batch.inState(DispositionBatch.State.DEAD);
        for (DispositionBatch.Entry entry : dead) {
            // Field names and reasons only: the values, and Salesforce's messages, may hold phones and notes.
            LOG.warn("Dead-lettering disposition record {}: {} in {}", entry.record.position(), entry.reason,
                    entry.errors.stream().map(FieldViolation::field).toList());
        }
        return dead.stream()
                .map(entry -> DispositionDeadLetters.of(exchange.getContext(), entry.record, entry.reason, entry.errors,
                        routeId, now))
                .toList();
    }

    /** Commits the offsets of the whole batch: everything in it is now published, known, or dead-lettered. */
    public void acknowledge(@ExchangeProperty(BATCH) DispositionBatch batch) {
        ConsumedRecord.commitAll(batch.records());
        Metrics.counter("dialer.dispositions", "outcome", "published")
                .increment(batch.inState(DispositionBatch.State.PUBLISHED).size());
        Metrics.counter("dialer.dispositions", "outcome", "duplicate")
                .increment(batch.inState(DispositionBatch.State.DUPLICATE).size());
        Metrics.counter("dialer.dispositions", "outcome", "dead-lettered")
                .increment(batch.inState(DispositionBatch.State.DEAD).size());
        LOG.info("Dispositions batch done: {} published, {} already published, {} dead-lettered",
                batch.inState(DispositionBatch.State.PUBLISHED).size(),
                batch.inState(DispositionBatch.State.DUPLICATE).size(),
                batch.inState(DispositionBatch.State.DEAD).size());
    }
}
