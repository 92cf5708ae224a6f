package io.dialerbridge.disposition;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.camel.component.salesforce.api.dto.SaveSObjectResult;

/**
 * One batch of records from the dispositions topic on its way to Salesforce. It knows which are still to publish, which
 * were published, skipped as already published, or given up on, and why.
 *
 * <p>A batch is opened once per Kafka batch and lives for one exchange; the publishing route walks it through as
 * many sObject Collections requests as it takes. It is not thread-safe and needs not be.
 */
final class DispositionBatch {

    /** Where one record stands. */
    enum State {
        /** Valid and not yet accepted by Salesforce. */
        PENDING,
        /** Accepted by Salesforce in this batch. */
        PUBLISHED,
        /** Its call id was published before (or earlier in this batch): acknowledged, not published again. */
        DUPLICATE,
        /** Invalid, or refused by Salesforce for good: goes to the dead-letter topic. */
        DEAD
    }

    /** One record and what became of it. */
    static final class Entry {
        final ConsumedRecord record;
        final Disposition disposition;
        State state;
        DispositionDeadLetters.Reason reason;
        List<FieldViolation> errors = List.of();
        /**
         * Whether its call id is still to be written to the published-calls topic: once accepted, and when memory
         * alone knew it was published (memory learns an accepted id before the topic does, so the topic may lack it).
         */
        boolean toRecord;

        Entry(ConsumedRecord record, Disposition disposition, State state) {
            this.record = record;
            this.disposition = disposition;
            this.state = state;
        }

        void dead(DispositionDeadLetters.Reason why, List<FieldViolation> what) {
            state = State.DEAD;
            reason = why;
            errors = List.copyOf(what);
        }
    }

    private final List<Entry> entries;
    private List<Entry> inFlight = List.of();
    private int retryRounds;
    private List<String> transientCodes = List.of();

    private DispositionBatch(List<Entry> entries) {
        this.entries = entries;
    }

    /**
     * Parses and validates every record; those whose call id is already known, or repeats an earlier record of the
     * batch, are marked duplicates. A known call id is recorded again (once per batch): memory may know it from a
     * publish whose record never reached the topic.
     */
    static DispositionBatch open(List<ConsumedRecord> records, DispositionValidator validator,
            PublishedCallRegistry published) {
        List<Entry> entries = new ArrayList<>(records.size());
        Set<String> seen = new HashSet<>();
        for (ConsumedRecord record : records) {
            JsonNode document;
            try {
                document = record.value() == null ? null : DispositionJson.MAPPER.readTree(record.value());
            } catch (IOException malformed) {
                document = null;
            }
            if (document == null || document.isMissingNode()) {
                Entry entry = new Entry(record, null, State.DEAD);
                entry.dead(DispositionDeadLetters.Reason.MALFORMED_JSON,
                        List.of(new FieldViolation(FieldViolation.ROOT, "must be a JSON document")));
                entries.add(entry);
                continue;
            }
            ValidationResult<Disposition> result = validator.validate(document);
            if (!result.isValid()) {
                Entry entry = new Entry(record, null, State.DEAD);
                entry.dead(DispositionDeadLetters.Reason.INVALID_DISPOSITION, result.violations());
                entries.add(entry);
                continue;
            }
            Disposition disposition = result.value();
            boolean known = published.contains(disposition.callId());
            boolean firstInBatch = seen.add(disposition.callId());
            Entry entry = new Entry(record, disposition, known || !firstInBatch ? State.DUPLICATE : State.PENDING);
            entry.toRecord = known && firstInBatch;
            entries.add(entry);
        }
        return new DispositionBatch(entries);
    }

    boolean hasPending() {
        return entries.stream().anyMatch(entry -> entry.state == State.PENDING);
    }

    /** Whether anything is left to do: records to publish, or published call ids to record. */
    boolean hasWork() {
        return entries.stream().anyMatch(entry -> entry.state == State.PENDING || entry.toRecord);
    }

    /**
     * The entries whose call ids are to be written to the published-calls topic now, taken off that list: those
     * accepted since the last call, and those known published from memory.
     */
    List<Entry> takeToRecord() {
        List<Entry> taken = entries.stream().filter(entry -> entry.toRecord).toList();
        taken.forEach(entry -> entry.toRecord = false);
        return taken;
    }

    /** How many requests so far ended with records Salesforce asked to send again. */
    int retryRounds() {
        return retryRounds;
    }

    /** The next request: up to {@code size} pending records, in topic order. */
    List<CallDispositionSObject> nextRequest(int size) {
        return nextDispositions(size).stream().map(CallDispositionSObject::of).toList();
    }

    /** The dispositions of the next request (up to {@code size} pending records, in topic order), for any transport. */
    List<Disposition> nextDispositions(int size) {
        inFlight = entries.stream().filter(entry -> entry.state == State.PENDING).limit(size).toList();
        return inFlight.stream().map(entry -> entry.disposition).toList();
    }

    /**
     * Applies Salesforce's answer to the request {@link #nextRequest} built: results come in request order.
     *
     * @return the entries accepted by this answer
     */
    List<Entry> accept(List<SaveSObjectResult> results) {
        if (results == null || results.size() != inFlight.size()) {
            throw new IllegalStateException("Salesforce answered " + (results == null ? "nothing" : results.size()
                    + " results") + " for " + inFlight.size() + " events");
        }
        List<Entry> accepted = new ArrayList<>();
        List<String> codes = new ArrayList<>();
        boolean retry = false;
        for (int i = 0; i < results.size(); i++) {
            Entry entry = inFlight.get(i);
            SaveSObjectResult result = results.get(i);
            if (Boolean.TRUE.equals(result.getSuccess())) {
                entry.state = State.PUBLISHED;
                entry.toRecord = true;
                accepted.add(entry);
            } else if (SalesforceRejections.isTransient(result.getErrors())) {
                retry = true;
                codes.add(SalesforceRejections.codes(result.getErrors()));
            } else {
                entry.dead(DispositionDeadLetters.Reason.SALESFORCE_REJECTED, SalesforceRejections.violations(
                        result.getErrors()));
            }
        }
        if (retry) {
            retryRounds++;
        }
        transientCodes = List.copyOf(codes);
        inFlight = List.of();
        return accepted;
    }

    /** The error codes of the records the last answer asked to send again, one entry per record. */
    List<String> transientCodes() {
        return transientCodes;
    }

    List<Entry> entries() {
        return entries;
    }

    List<Entry> inState(State state) {
        return entries.stream().filter(entry -> entry.state == state).toList();
    }

    List<ConsumedRecord> records() {
        return entries.stream().map(entry -> entry.record).toList();
    }

    @Override
    public String toString() {
        return "DispositionBatch[records=" + entries.size() + ", pending=" + inState(State.PENDING).size()
                + ", published=" + inState(State.PUBLISHED).size() + ", duplicates="
                + inState(State.DUPLICATE).size() + ", dead=" + inState(State.DEAD).size() + "]";
    }
}
