package io.dialerbridge.suppression;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dialerbridge.command.CommandType;
import io.dialerbridge.command.DialerCommand;
import io.dialerbridge.command.phone.PhoneNormalizer;
import io.dialerbridge.table.CompactedTable;
import io.dialerbridge.table.KafkaCompactedTopic;
import io.micrometer.core.instrument.Metrics;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.camel.Body;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Do Not Call guard, which keeps suppressed people and numbers uncallable. While a person or a number is
 * suppressed, no command that would make it callable (an upsert that carries the person or the number, a campaign add
 * of the person or of anyone who has the number) leaves the bridge. A blocked command is counted and logged, never
 * dropped silently. The model is written down in docs/dnc.md.
 *
 * <p>A person's suppression holds a set of reasons, and each source lifts only its own (an unsuppress names the
 * reasons it lifts): the person becomes callable, and the unsuppress leaves the bridge, only when none remain. A
 * number stays suppressed while any of its holders does: the people whose suppression covered it, and number-level
 * suppressions, which nothing lifts automatically. Suppresses carry every number the bridge knows for the person,
 * so a number seen at create still travels with a suppress whose event carried none.
 *
 * <p>State comes from two compacted topics, read whole before the first screening and then followed while the
 * bridge runs, so rows another process writes are honoured: {@code dialer.suppressions} and the person numbers.
 * {@link #screen} is atomic: the stream threads and the dispositions route screen against one consistent table.
 *
 * <p>A screen whose Kafka transaction aborted can be taken back ({@link #screenUndoably}, {@link #undo}), so its
 * events can be screened again, in order, against the table as it is when they are sent again.
 */
public class SuppressionGuard implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SuppressionGuard.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The suppress scope of a number-level suppression (the contract's word). */
    private static final Set<String> NUMBER_SCOPES = Set.of("NUMBER");
    private static final String UNKNOWN_REASON = "UNKNOWN";
    /** The reasons a converted Lead hands to its Contact: those Salesforce does not map to the Contact itself. */
    private static final Set<String> HANDED_OVER = Set.of(SuppressionReasons.STATUS, SuppressionReasons.REQUESTED,
            SuppressionReasons.DISPOSITION);
    /** Longer than Kafka's default delivery timeout (120 s), which bounds a wait for rows that do land. */
    public static final Duration DEFAULT_IN_FLIGHT_LIMIT = Duration.ofMinutes(3);

    private final Object lock = new Object();
    /** {@code record:<id>} and {@code phone:<E.164>} rows, as on {@code dialer.suppressions}. */
    private final Map<String, SuppressionEntry> rows = new HashMap<>();
    private final Map<String, PersonNumbers> numbers = new HashMap<>();
    private final OwnWrites ownRows = new OwnWrites();
    private final OwnWrites ownNumbers = new OwnWrites();
    /** Rows a writer's screen changed whose records Kafka has not placed yet; another writer waits for them. */
    private final KeysInFlight inFlight = new KeysInFlight();
    private final CompactedTable storedRows;
    private final CompactedTable storedNumbers;
    /** Where the screen in progress records what it changes; null when nobody will take it back. Under the lock. */
    private Undo recording;
    /**
     * Per writer, the rows its screens lifted or reduced (fewer reasons or holders) whose transaction has not
     * committed yet: that writer screens against them, everyone else against the rows as committed, until
     * {@link #committed} applies them (an abort takes them back). Under the lock.
     */
    private final Map<Object, Map<String, Reduced>> uncommitted = new HashMap<>();
    /** Per writer, the keys marked in flight until its transaction commits (one entry per mark). Under the lock. */
    private final Map<Object, List<String>> commitMarks = new HashMap<>();
    /** Rows whose value on the topic fell behind the guard's (see {@link #followRow}): the next screen writes them. */
    private final Set<String> rewrites = new LinkedHashSet<>();
    /** How long a screen waits for another writer's rows in flight before it gives up and fails safe. */
    private final Duration inFlightLimit;

    /**
     * @param suppressions opens {@code dialer.suppressions}; called once, on first use
     * @param personNumbers opens the person-numbers topic; null keeps the numbers in memory only
     */
    public SuppressionGuard(Supplier<KafkaCompactedTopic> suppressions, Supplier<KafkaCompactedTopic> personNumbers) {
        this(suppressions, personNumbers, DEFAULT_IN_FLIGHT_LIMIT);
    }

    /**
     * @param inFlightLimit how long {@link #awaitLanded} waits for another writer's rows before it throws
     *                      {@link RowsInFlightTimeoutException} (the caller then sends nothing and retries the event)
     */
    public SuppressionGuard(Supplier<KafkaCompactedTopic> suppressions, Supplier<KafkaCompactedTopic> personNumbers,
            Duration inFlightLimit) {
        this.inFlightLimit = inFlightLimit;
        this.storedRows = new CompactedTable(suppressions, this::loadRows, this::followRow);
        this.storedNumbers = personNumbers == null ? null
                : new CompactedTable(personNumbers, this::loadNumbers, this::followNumbers);
        // On the scrape from the start, at 0, for the dashboard.
        Metrics.counter("dialer.guard.blocked", "type", CommandType.CONTACT_UPSERT.ceType());
        Metrics.counter("dialer.guard.blocked", "type", CommandType.CAMPAIGN_MEMBER_ADD.ceType());
    }

    /** A guard whose person numbers live in memory only. */
    public SuppressionGuard(Supplier<KafkaCompactedTopic> suppressions) {
        this(suppressions, null);
    }

    /** Reads both topics once and starts following them; the stream consumers call this before their first event. */
    public void load() {
        storedRows.topic();
        if (storedNumbers != null) {
            storedNumbers.topic();
        }
    }

    /**
     * Route step: lets through what may leave, in order, and says which rows change. Atomic: no other screening, and
     * no row read from the topics, comes between the commands of one call.
     */
    public Screened screen(@Body List<DialerCommand> commands) {
        load();
        synchronized (lock) {
            Changes changes = new Changes();
            rewriteDiverged(changes);
            List<DialerCommand> allowed = new ArrayList<>();
            for (DialerCommand command : commands) {
                switch (command.type()) {
                    case CONTACT_SUPPRESS -> allowed.add(suppress(command, changes));
                    case CONTACT_UNSUPPRESS -> {
                        if (unsuppress(command, changes)) {
                            allowed.add(command);
                        }
                    }
                    case CONTACT_UPSERT, CAMPAIGN_MEMBER_ADD -> {
                        if (command.type() == CommandType.CONTACT_UPSERT) {
                            learnNumbers(command, command.data().get("phones"), changes);
                        }
                        String reason = suppressedBecause(command);
                        if (reason == null) {
                            allowed.add(command);
                        } else {
                            Metrics.counter("dialer.guard.blocked", "type", command.type().ceType()).increment();
                            LOG.warn("DNC guard blocked {} {} for {}: {}", command.type().ceType(), command.id(),
                                    command.key(), reason);
                        }
                    }
                    case CONTACT_REMOVE -> {
                        if ("DELETED".equals(command.data().get("reason"))) {
                            forgetNumbers(command.key(), changes);
                        } else {
                            // Converted or in a remove status: no upsert will show these numbers, so learn them here.
                            learnNumbers(command, command.data().get(DialerCommand.STATED_PHONES), changes);
                        }
                        DialerCommand handedOver = handOverToContact(command, changes);
                        if (handedOver != null) {
                            allowed.add(handedOver);
                        }
                        allowed.add(withoutStatedPhones(command));
                    }
                    default -> allowed.add(command);
                }
            }
            return new Screened(allowed, changes.rows, changes.numbers);
        }
    }

    /**
     * Screens like {@link #screen}, and records in {@code undo} what the screen changed, so it can be taken back.
     *
     * <p>For an undo of a writer ({@link Undo#Undo(Object)}, one Kafka producer), the rows the screen changes are
     * marked in flight until {@link #landed} (or {@link #undo}). When another writer has one of them in flight the
     * screen is taken back at once and null returned: its records could overtake the other writer's on the topic.
     * The caller then calls {@link #awaitLanded} — holding no screen of its own in flight that the other writer
     * could be waiting for — and screens again.
     */
    public Screened screenUndoably(List<DialerCommand> commands, Undo undo) {
        load();
        synchronized (lock) {
            recording = undo;
            Screened screened;
            try {
                screened = screen(commands);
            } finally {
                recording = null;
            }
            if (undo.writer == null) {
                return screened;
            }
            Set<String> busy = inFlight.heldByOthers(undo.written, undo.writer);
            if (!busy.isEmpty()) {
                // Its reductions were never marked: taking it back must not land another screen's marks.
                undo.uncommittedKeys.clear();
                undo(undo);
                undo.clear();
                undo.busy = busy;
                return null;
            }
            synchronized (undo) {
                undo.written.forEach(key -> inFlight.mark(key, undo.writer));
                undo.marked = true;
            }
            // A lift or reduction stays in flight until its transaction commits: another writer that would change
            // the row waits for the commit, and then changes the row as lifted, not as it was before.
            undo.uncommittedKeys.forEach(key -> inFlight.mark(key, undo.writer));
            commitMarks.computeIfAbsent(undo.writer, w -> new ArrayList<>()).addAll(undo.uncommittedKeys);
            return screened;
        }
    }

    /**
     * After {@link #screenUndoably} returned null: waits, outside the guard's lock, until the other writers' rows it
     * met have reached Kafka. Kafka's delivery timeout bounds the wait (a record not placed by then fails, and its
     * mark goes with it); a wait that goes on is logged.
     */
    public void awaitLanded(Undo undo) throws InterruptedException {
        if (Thread.holdsLock(lock)) {
            throw new IllegalStateException("Waiting for rows in flight under the guard's lock would stall every screen");
        }
        if (!inFlight.awaitLanded(undo.busy, undo.writer, inFlightLimit)) {
            Metrics.counter("dialer.guard.in-flight-timeouts").increment();
            throw new RowsInFlightTimeoutException("Another channel's rows " + undo.busy + " have not reached Kafka"
                    + " within " + inFlightLimit.toSeconds() + " s; the event is sent nowhere and comes again");
        }
        undo.busy = Set.of();
    }

    /**
     * Every record of the screen has its answer from Kafka (an offset, or a failure that aborts its transaction):
     * its rows are no longer in flight. Safe from a producer's callback; a second call does nothing.
     */
    public void landed(Undo undo) {
        synchronized (undo) {
            if (undo.marked) {
                undo.marked = false;
                undo.written.forEach(key -> inFlight.land(key, undo.writer));
            }
        }
    }

    /**
     * Takes back a screen whose rows never reached Kafka: each row it changed gets its value from before the screen
     * again, unless a later screen (or another writer) changed that row since (the later one is newer, and stays);
     * the rows it handed out are no longer expected back from the topic. Screens are taken back newest first.
     */
    public void undo(Undo undo) {
        synchronized (lock) {
            undo.rows.restore(rows);
            if (undo.writer != null && uncommitted.containsKey(undo.writer)) {
                Map<String, Reduced> own = uncommitted.get(undo.writer);
                undo.reduced.restore(own);
                if (own.isEmpty()) {
                    uncommitted.remove(undo.writer);
                }
            }
            rewrites.addAll(undo.rewritten);
            if (undo.writer != null) {
                List<String> marks = commitMarks.getOrDefault(undo.writer, new ArrayList<>());
                for (String key : undo.uncommittedKeys) {
                    if (marks.remove(key)) {
                        inFlight.land(key, undo.writer);
                    }
                }
            }
            undo.numbers.restore(numbers);
            undo.ownRowWrites.forEach(write -> ownRows.withdraw(write.getKey(), write.getValue()));
            undo.ownNumberWrites.forEach(write -> ownNumbers.withdraw(write.getKey(), write.getValue()));
        }
        landed(undo);
    }

    /**
     * The writer's transaction committed: the rows its screens lifted or reduced apply to everyone now. A row another
     * writer changed since (its record landed after ours, and is the topic's) keeps that writer's value.
     */
    public void committed(Object writer) {
        synchronized (lock) {
            List<String> marks = commitMarks.remove(writer);
            if (marks != null) {
                marks.forEach(key -> inFlight.land(key, writer));
            }
            Map<String, Reduced> own = uncommitted.remove(writer);
            if (own == null) {
                return;
            }
            own.forEach((key, reduced) -> {
                if (rows.get(key) != reduced.base()) {
                    LOG.info("DNC guard: suppression {} changed by another writer before our change of it committed;"
                            + " theirs, written after ours, stays", key);
                } else if (reduced.value() == null) {
                    rows.remove(key);
                } else {
                    rows.put(key, reduced.value());
                }
            });
        }
    }

    /** Runs {@code work} with no screen in between, e.g. taking back a transaction's screens and screening again. */
    public <T> T atomically(Supplier<T> work) {
        load();
        synchronized (lock) {
            return work.get();
        }
    }

    /** What one screen changed in the guard's tables: each row's value before the screen and the value it left. */
    public static final class Undo {
        private final Changed<SuppressionEntry> rows = new Changed<>();
        private final Changed<Reduced> reduced = new Changed<>();
        private final Changed<PersonNumbers> numbers = new Changed<>();
        /** The rows the screen lifted or reduced, as {@code row:<key>}: in flight until the transaction commits. */
        private final Set<String> uncommittedKeys = new LinkedHashSet<>();
        /** Rows the screen wrote again because the topic had fallen behind: queued again if it is taken back. */
        private final Set<String> rewritten = new LinkedHashSet<>();
        private final List<Map.Entry<String, String>> ownRowWrites = new ArrayList<>();
        private final List<Map.Entry<String, String>> ownNumberWrites = new ArrayList<>();
        /** The producer whose records carry the screen's rows; null: none in flight are tracked. */
        private final Object writer;
        /** The rows the screen changed, as {@code row:<key>} and {@code numbers:<personId>}. */
        private final Set<String> written = new LinkedHashSet<>();
        /** Whether {@link #written} is marked in flight. */
        private boolean marked;
        /** What another writer had in flight when the screen was taken back. */
        private volatile Set<String> busy = Set.of();

        public Undo() {
            this(null);
        }

        /** @param writer the producer the screen's records are sent through (a channel) */
        public Undo(Object writer) {
            this.writer = writer;
        }

        private void clear() {
            rows.before.clear();
            rows.after.clear();
            reduced.before.clear();
            reduced.after.clear();
            uncommittedKeys.clear();
            rewritten.clear();
            numbers.before.clear();
            numbers.after.clear();
            ownRowWrites.clear();
            ownNumberWrites.clear();
            written.clear();
        }
    }

    /** Per key of one table: the value before the first change and the value the last change left (null: none). */
    private static final class Changed<V> {
        private final Map<String, V> before = new LinkedHashMap<>();
        private final Map<String, V> after = new HashMap<>();

        void record(String key, V previous, V now) {
            if (!before.containsKey(key)) {
                before.put(key, previous);
            }
            after.put(key, now);
        }

        void restore(Map<String, V> table) {
            List<String> keys = new ArrayList<>(before.keySet());
            for (int i = keys.size() - 1; i >= 0; i--) {
                String key = keys.get(i);
                if (table.get(key) == after.get(key)) {
                    V previous = before.get(key);
                    if (previous == null) {
                        table.remove(key);
                    } else {
                        table.put(key, previous);
                    }
                }
            }
        }
    }

    /**
     * A writer's uncommitted lift ({@code value} null) or reduction of a row, and the committed row it was made
     * from ({@code base}, null when there was none).
     */
    private record Reduced(SuppressionEntry value, SuppressionEntry base) {
    }

    /**
     * Read-only: the people whose current state must be re-sent from Salesforce if this unsuppress is screened now,
     * because it lifts the person's last reason (the person first, then anyone whose known number it frees); empty
     * when it would leave the person suppressed or lifts nothing.
     */
    public List<String> restoredBy(DialerCommand unsuppress) {
        if (unsuppress.type() != CommandType.CONTACT_UNSUPPRESS) {
            return List.of();
        }
        load();
        synchronized (lock) {
            String personId = unsuppress.key();
            SuppressionEntry person = rows.get(SuppressionEntry.recordKey(personId));
            if (person == null) {
                return List.of();
            }
            Set<String> lifted = liftedBy(person, unsuppress);
            if (lifted.isEmpty() || !lifted.containsAll(person.reasons())) {
                return List.of();
            }
            Set<String> freed = new LinkedHashSet<>();
            for (SuppressionEntry number : numberRowsHeldBy(personId)) {
                if (remainingHolders(number, personId).isEmpty()) {
                    freed.add(number.phone());
                }
            }
            List<String> restored = new ArrayList<>(List.of(personId));
            numbers.values().stream()
                    .filter(known -> !known.personId().equals(personId))
                    .filter(known -> !rows.containsKey(SuppressionEntry.recordKey(known.personId())))
                    .filter(known -> known.numbers().stream().anyMatch(freed::contains))
                    .map(PersonNumbers::personId).sorted().forEach(restored::add);
            return List.copyOf(restored);
        }
    }

    /** Read-only: the person's suppression row, if the person is suppressed. */
    public Optional<SuppressionEntry> suppressionOf(String personId) {
        load();
        synchronized (lock) {
            return Optional.ofNullable(rows.get(SuppressionEntry.recordKey(personId)));
        }
    }

    /** Read-only: the dialable numbers the bridge last saw for the person. */
    public List<String> numbersOf(String personId) {
        load();
        synchronized (lock) {
            PersonNumbers known = numbers.get(personId);
            return known == null ? List.of() : known.numbers();
        }
    }

    /**
     * Waits until both tables hold every row committed so far, by this process or another: a bridge taking over
     * leadership screens only against the complete suppression table.
     */
    public void catchUp() {
        storedRows.catchUp();
        if (storedNumbers != null) {
            storedNumbers.catchUp();
        }
    }

    /** Stops following the topics. */
    @Override
    public void close() {
        storedRows.close();
        if (storedNumbers != null) {
            storedNumbers.close();
        }
    }

    /** The rows one screening changes, in the order they must be written. */
    private final class Changes {
        final List<SuppressionChange> rows = new ArrayList<>();
        final List<PersonNumbersChange> numbers = new ArrayList<>();

        void put(SuppressionEntry entry) {
            String key = entry.key();
            SuppressionEntry shared = SuppressionGuard.this.rows.get(key);
            Map<String, Reduced> own = ownReductions();
            if (writer() != null && ((own != null && own.containsKey(key))
                    || (shared != null && !covers(entry, shared)))) {
                reduce(key, entry);
            } else {
                SuppressionEntry previous = SuppressionGuard.this.rows.put(key, entry);
                if (recording != null) {
                    recording.rows.record(key, previous, entry);
                }
            }
            wrote(key, entry);
        }

        void lift(String key) {
            if (writer() != null) {
                reduce(key, null);
            } else {
                SuppressionEntry previous = SuppressionGuard.this.rows.remove(key);
                if (recording != null) {
                    recording.rows.record(key, previous, null);
                }
            }
            wrote(key, null);
        }

        /** A lift or reduction by a writer: others keep screening against the committed row until it commits. */
        private void reduce(String key, SuppressionEntry entry) {
            Map<String, Reduced> own = uncommitted.computeIfAbsent(writer(), w -> new HashMap<>());
            Reduced previous = own.get(key);
            Reduced now = new Reduced(entry, previous != null ? previous.base() : SuppressionGuard.this.rows.get(key));
            own.put(key, now);
            recording.reduced.record(key, previous, now);
            recording.uncommittedKeys.add("row:" + key);
        }

        private void wrote(String key, SuppressionEntry entry) {
            String value = entry == null ? null : format(entry);
            ownRows.wrote(key, value);
            rows.add(new SuppressionChange(key, entry));
            if (recording != null) {
                recording.ownRowWrites.add(new AbstractMap.SimpleEntry<>(key, value));
                recording.written.add("row:" + key);
            }
        }

        void put(PersonNumbers known) {
            PersonNumbers previous = SuppressionGuard.this.numbers.put(known.personId(), known);
            String value = format(known);
            ownNumbers.wrote(known.personId(), value);
            numbers.add(new PersonNumbersChange(known.personId(), known));
            if (recording != null) {
                recording.numbers.record(known.personId(), previous, known);
                recording.ownNumberWrites.add(new AbstractMap.SimpleEntry<>(known.personId(), value));
                recording.written.add("numbers:" + known.personId());
            }
        }

        void forget(String personId) {
            PersonNumbers previous = SuppressionGuard.this.numbers.remove(personId);
            ownNumbers.wrote(personId, null);
            numbers.add(new PersonNumbersChange(personId, null));
            if (recording != null) {
                recording.numbers.record(personId, previous, null);
                recording.ownNumberWrites.add(new AbstractMap.SimpleEntry<>(personId, null));
                recording.written.add("numbers:" + personId);
            }
        }
    }

    /** Records the suppression; the command leaves carrying every number known for the person. */
    private DialerCommand suppress(DialerCommand command, Changes changes) {
        List<String> reasons = reasonsOf(command.data(), UNKNOWN_REASON);
        String since = Objects.toString(command.data().get("requestedAt"), command.time().toString());
        List<String> phones = strings(command.data().get("phones"));
        Object recordId = command.data().get("recordId");
        if (recordId == null || NUMBER_SCOPES.contains(String.valueOf(command.data().get("scope")))) {
            // A number-level suppression: the number stays suppressed whoever holds it, until someone lifts the row.
            for (String phone : phones) {
                hold(phone, command.id(), reasons, since, command.id(), changes);
            }
            return command;
        }
        String personId = command.key();
        SuppressionEntry held = row(SuppressionEntry.recordKey(personId));
        List<String> all = new ArrayList<>(reasons);
        Map<String, String> setAt = new LinkedHashMap<>();
        if (held != null) {
            all.addAll(held.reasons());
            held.reasons().forEach(reason -> setAt.put(reason, held.setAt().getOrDefault(reason, held.since())));
        }
        // A reason set again keeps the later time: a lift older than either must not remove it.
        reasons.forEach(reason -> setAt.merge(reason, since, SuppressionGuard::later));
        SuppressionEntry person = new SuppressionEntry(personId, null, all, held == null ? since : held.since(),
                command.id(), null, setAt, held == null ? null : held.convertedTo());
        changes.put(person);
        Set<String> carried = new LinkedHashSet<>(phones);
        carried.addAll(known(personId));
        for (String phone : carried) {
            hold(phone, personId, person.reasons(), since, command.id(), changes);
        }
        if (carried.size() == phones.size()) {
            return command;
        }
        Map<String, Object> data = new LinkedHashMap<>(command.data());
        data.put("phones", List.copyOf(carried));
        return new DialerCommand(command.type(), command.key(), command.id(), command.source(), command.subject(),
                command.time(), data);
    }

    /** Adds a holder to a number's row (moved last if it held it already). */
    private void hold(String phone, String holder, List<String> reasons, String since, String source,
            Changes changes) {
        SuppressionEntry existing = row(SuppressionEntry.phoneKey(phone));
        List<String> holders = new ArrayList<>();
        List<String> all = new ArrayList<>(reasons);
        if (existing != null) {
            existing.holdersOrSelf().stream().filter(other -> !other.equals(holder)).forEach(holders::add);
            all.addAll(existing.reasons());
        }
        holders.add(holder);
        String person = SuppressionEntry.isPerson(holder) ? holder : existing == null ? null : existing.recordId();
        changes.put(new SuppressionEntry(person, phone, all, existing == null ? since : existing.since(), source,
                holders));
    }

    /** Lifts the reasons the command names; true when that leaves the person callable and the command may leave. */
    private boolean unsuppress(DialerCommand command, Changes changes) {
        String personId = command.key();
        SuppressionEntry person = row(SuppressionEntry.recordKey(personId));
        if (person == null) {
            return false;
        }
        Set<String> lifted = liftedBy(person, command);
        Set<String> tooOld = new LinkedHashSet<>(liftedReasons(command));
        tooOld.retainAll(person.reasons());
        tooOld.removeAll(lifted);
        if (!tooOld.isEmpty()) {
            LOG.info("DNC guard: {} does not lift {} of {}: set again after the lift's time {}", command.id(), tooOld,
                    personId, liftTime(command));
        }
        List<String> remaining = person.reasons().stream().filter(reason -> !lifted.contains(reason)).toList();
        if (remaining.size() == person.reasons().size()) {
            LOG.debug("DNC guard: {} does not lift {}'s suppression ({}), which it did not set", command.id(),
                    personId, person.reasons());
            return false;
        }
        if (!remaining.isEmpty()) {
            changes.put(new SuppressionEntry(personId, null, remaining, person.since(), command.id(), null,
                    person.setAt(), person.convertedTo()));
            LOG.info("DNC guard lifted {} of {}, still suppressed for {}", lifted, personId, remaining);
            return false;
        }
        changes.lift(person.key());
        for (SuppressionEntry number : numberRowsHeldBy(personId)) {
            List<String> others = remainingHolders(number, personId);
            if (others.isEmpty()) {
                changes.lift(number.key());
                continue;
            }
            // A number someone else still suppresses stays suppressed, held by them alone.
            List<String> reasons = new ArrayList<>();
            String latestPerson = null;
            for (String holder : others) {
                if (SuppressionEntry.isPerson(holder)) {
                    reasons.addAll(row(SuppressionEntry.recordKey(holder)).reasons());
                    latestPerson = holder;
                } else {
                    reasons.addAll(number.reasons());
                }
            }
            changes.put(new SuppressionEntry(latestPerson, number.phone(), reasons, number.since(), command.id(),
                    others));
        }
        return true;
    }

    /** The writer of the screen in progress, when its transaction is tracked; null otherwise. */
    private Object writer() {
        return recording == null ? null : recording.writer;
    }

    /** The uncommitted lifts and reductions of the screen's writer, or null. */
    private Map<String, Reduced> ownReductions() {
        Object writer = writer();
        return writer == null ? null : uncommitted.get(writer);
    }

    /** A row as the screen in progress sees it: committed, with its own writer's uncommitted lifts and reductions. */
    private SuppressionEntry row(String key) {
        Map<String, Reduced> own = ownReductions();
        if (own != null && own.containsKey(key)) {
            return own.get(key).value();
        }
        return rows.get(key);
    }

    /** Every row as the screen in progress sees it (see {@link #row}). */
    private Collection<SuppressionEntry> rowValues() {
        Map<String, Reduced> own = ownReductions();
        if (own == null) {
            return rows.values();
        }
        List<SuppressionEntry> values = new ArrayList<>();
        rows.forEach((key, entry) -> {
            if (!own.containsKey(key)) {
                values.add(entry);
            }
        });
        own.values().stream().map(Reduced::value).filter(Objects::nonNull).forEach(values::add);
        return values;
    }

    /** Whether a row keeps at least every reason and holder of another: writing it suppresses no less. */
    private static boolean covers(SuppressionEntry entry, SuppressionEntry other) {
        return entry.reasons().containsAll(other.reasons())
                && (other.phone() == null || entry.holdersOrSelf().containsAll(other.holdersOrSelf()));
    }

    /**
     * The row as it stands once every screen handed out so far commits: a writer's uncommitted lift or reduction,
     * else the committed row.
     */
    private SuppressionEntry latest(String key) {
        for (Map<String, Reduced> own : uncommitted.values()) {
            if (own.containsKey(key)) {
                return own.get(key).value();
            }
        }
        return rows.get(key);
    }

    private List<SuppressionEntry> numberRowsHeldBy(String personId) {
        return rowValues().stream().filter(entry -> entry.phone() != null)
                .filter(entry -> entry.holdersOrSelf().contains(personId)).toList();
    }

    /** A number's holders without the person: people still suppressed, and number-level holds. */
    private List<String> remainingHolders(SuppressionEntry number, String personId) {
        return number.holdersOrSelf().stream().filter(holder -> !holder.equals(personId))
                .filter(holder -> !SuppressionEntry.isPerson(holder)
                        || row(SuppressionEntry.recordKey(holder)) != null)
                .toList();
    }

    private String suppressedBecause(DialerCommand command) {
        String personId = command.key();
        SuppressionEntry person = row(SuppressionEntry.recordKey(personId));
        if (person != null) {
            return "person suppressed " + person.reasons();
        }
        List<String> carried = command.type() == CommandType.CONTACT_UPSERT
                ? statedNumbers(command.data().get("phones")).values().stream()
                .filter(Objects::nonNull).toList() : known(personId);
        for (String e164 : carried) {
            if (row(SuppressionEntry.phoneKey(e164)) != null) {
                return "number " + PhoneNormalizer.mask(e164) + " suppressed";
            }
        }
        return null;
    }

    /**
     * An upsert shows Salesforce's numbers for the person whether it passes or not: remember them. A number a
     * suppressed person gains is suppressed with them at once, as their suppress would have carried it.
     */
    private void learnNumbers(DialerCommand command, Object statedPhones, Changes changes) {
        Map<String, String> stated = statedNumbers(statedPhones);
        if (stated.isEmpty()) {
            return;
        }
        String personId = command.key();
        PersonNumbers before = numbers.get(personId);
        Map<String, String> phones = new LinkedHashMap<>(before == null ? Map.of() : before.phones());
        phones.putAll(stated);
        if (before != null && before.phones().equals(phones)) {
            return;
        }
        PersonNumbers learned = new PersonNumbers(personId, phones, command.id());
        changes.put(learned);
        SuppressionEntry person = row(SuppressionEntry.recordKey(personId));
        if (person != null) {
            for (String phone : learned.numbers()) {
                SuppressionEntry number = row(SuppressionEntry.phoneKey(phone));
                if (number == null || !number.holdersOrSelf().contains(personId)) {
                    hold(phone, personId, person.reasons(), person.since(), command.id(), changes);
                }
            }
        }
    }

    /**
     * A converted Lead's reasons that Salesforce does not carry over to the Contact it became (a request, a
     * disposition, a Do Not Call status; Salesforce maps {@code DoNotCall} itself) follow it: the Contact is
     * suppressed for them, with every number the Lead's suppression holds, once (the Lead's row then names the
     * Contact). Returns that suppress, to leave before the remove; null when there is nothing to hand over.
     */
    private DialerCommand handOverToContact(DialerCommand remove, Changes changes) {
        if (!(remove.data().get(DialerCommand.CONVERTED_TO) instanceof String contactId)
                || !SuppressionEntry.isPerson(contactId)) {
            return null;
        }
        String leadId = remove.key();
        SuppressionEntry lead = row(SuppressionEntry.recordKey(leadId));
        if (lead == null || lead.convertedTo() != null) {
            return null;
        }
        List<String> reasons = lead.reasons().stream().filter(HANDED_OVER::contains).toList();
        if (reasons.isEmpty()) {
            return null;
        }
        Set<String> phones = new LinkedHashSet<>(known(leadId));
        numberRowsHeldBy(leadId).forEach(number -> phones.add(number.phone()));
        changes.put(new SuppressionEntry(leadId, null, lead.reasons(), lead.since(), remove.id(), null, lead.setAt(),
                contactId));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("recordId", contactId);
        data.put("phones", List.copyOf(phones));
        data.put("scope", "CONTACT");
        data.put("reason", reasons.get(0));
        data.put("reasons", reasons);
        data.put("requestedAt", remove.time().toString());
        DialerCommand suppress = new DialerCommand(CommandType.CONTACT_SUPPRESS, contactId,
                remove.id() + ":convert:" + contactId, remove.source(), contactId, remove.time(), data);
        LOG.info("DNC guard: converted lead {} hands {} to contact {}", leadId, reasons, contactId);
        return suppress(suppress, changes);
    }

    /** The remove as the contract has it: the numbers and the Contact it handed the guard stay here. */
    private static DialerCommand withoutStatedPhones(DialerCommand remove) {
        if (!remove.data().containsKey(DialerCommand.STATED_PHONES)
                && !remove.data().containsKey(DialerCommand.CONVERTED_TO)) {
            return remove;
        }
        Map<String, Object> data = new LinkedHashMap<>(remove.data());
        data.remove(DialerCommand.STATED_PHONES);
        data.remove(DialerCommand.CONVERTED_TO);
        return new DialerCommand(remove.type(), remove.key(), remove.id(), remove.source(), remove.subject(),
                remove.time(), data);
    }

    private void forgetNumbers(String personId, Changes changes) {
        if (numbers.containsKey(personId)) {
            changes.forget(personId);
        }
    }

    private List<String> known(String personId) {
        PersonNumbers known = numbers.get(personId);
        return known == null ? List.of() : known.numbers();
    }

    /** Phone field to E.164 (null when cleared or unreadable) for every phone field stated, as an upsert states them. */
    private static Map<String, String> statedNumbers(Object statedPhones) {
        Map<String, String> stated = new LinkedHashMap<>();
        if (statedPhones instanceof Map<?, ?> phones) {
            phones.forEach((field, value) -> stated.put(String.valueOf(field),
                    value instanceof Map<?, ?> number && number.get("e164") instanceof String e164 ? e164 : null));
        }
        return stated;
    }

    /**
     * The person's reasons the unsuppress lifts: those it names that were set no later than the lift's time (a lift
     * a newer suppression has overtaken leaves that reason alone).
     */
    private static Set<String> liftedBy(SuppressionEntry person, DialerCommand unsuppress) {
        Instant liftedAt = liftTime(unsuppress);
        Set<String> lifted = new LinkedHashSet<>();
        for (String reason : liftedReasons(unsuppress)) {
            if (!person.reasons().contains(reason)) {
                continue;
            }
            Instant setAt = person.reasonSetAt(reason);
            if (setAt == null || liftedAt == null || !setAt.isAfter(liftedAt)) {
                lifted.add(reason);
            }
        }
        return lifted;
    }

    /** When the lift was asked for: its {@code requestedAt}, else the command's Salesforce time. */
    private static Instant liftTime(DialerCommand unsuppress) {
        Instant requestedAt = SuppressionEntry.instant(Objects.toString(unsuppress.data().get("requestedAt"), null));
        return requestedAt != null ? requestedAt : unsuppress.time();
    }

    /** The rows the topic has fallen behind on go out again with this screen, as this guard holds them. */
    private void rewriteDiverged(Changes changes) {
        if (rewrites.isEmpty()) {
            return;
        }
        for (String key : List.copyOf(rewrites)) {
            SuppressionEntry kept = rows.get(key);
            if (kept != null) {
                changes.put(kept);
                if (recording != null) {
                    recording.rewritten.add(key);
                }
                LOG.info("DNC guard: writing suppression {} again, as the guard holds it", key);
            }
        }
        rewrites.clear();
    }

    /** The later of two RFC 3339 times (the first when either cannot be read). */
    private static String later(String one, String other) {
        Instant first = SuppressionEntry.instant(one);
        Instant second = SuppressionEntry.instant(other);
        return first != null && second != null && second.isAfter(first) ? other : one;
    }

    /** What an unsuppress lifts: its {@code reasons}, or its one {@code reason}; Salesforce's DoNotCall if neither. */
    private static Set<String> liftedReasons(DialerCommand unsuppress) {
        return new LinkedHashSet<>(reasonsOf(unsuppress.data(), SuppressionReasons.SALESFORCE_DNC));
    }

    private static List<String> reasonsOf(Map<String, Object> data, String otherwise) {
        List<String> reasons = new ArrayList<>(strings(data.get("reasons")));
        if (data.get("reason") instanceof String reason) {
            reasons.add(reason);
        }
        return reasons.isEmpty() ? List.of(otherwise) : SuppressionReasons.of(reasons);
    }

    private static List<String> strings(Object value) {
        List<String> strings = new ArrayList<>();
        if (value instanceof Collection<?> values) {
            values.stream().filter(String.class::isInstance).map(String.class::cast).forEach(strings::add);
        }
        return strings;
    }

    private void loadRows(Map<String, String> stored) {
        synchronized (lock) {
            stored.forEach((key, value) -> rows.put(key, parse(key, value)));
            LOG.info("Loaded {} suppressions", rows.size());
        }
    }

    private void loadNumbers(Map<String, String> stored) {
        synchronized (lock) {
            stored.forEach((personId, value) -> numbers.put(personId, parseNumbers(personId, value)));
            LOG.info("Loaded the numbers of {} people", numbers.size());
        }
    }

    /**
     * A suppression row read while following: one of ours coming back changes nothing; another writer's is taken,
     * except that while a row of ours for the key is still on its way (it will land after, and win), theirs may only
     * add to the suppression, never lift it.
     *
     * <p>When our last own row of a key comes back and the guard holds another value (another writer's row came in
     * between and was merged in memory), the two disagree: suppression wins. The guard keeps the union of both (every
     * reason and holder of either, a row over a tombstone) and, when that is not what the topic now ends with, writes
     * it again with the next screen of any channel ({@link #rewriteDiverged}), so a restart reads the same table.
     */
    private void followRow(String key, String value) {
        synchronized (lock) {
            if (ownRows.readBack(key, value)) {
                SuppressionEntry ours = latest(key);
                if (!ownRows.pending(key) && !Objects.equals(value, ours == null ? null : format(ours))) {
                    Metrics.counter("dialer.guard.diverged").increment();
                    SuppressionEntry onTopic = value == null ? null : parse(key, value);
                    SuppressionEntry kept = ours == null ? onTopic : onTopic == null ? ours : union(ours, onTopic);
                    rows.put(key, kept);
                    boolean rewrite = !format(kept).equals(value);
                    if (rewrite) {
                        rewrites.add(key);
                    }
                    LOG.warn("DNC guard: suppression {} on the topic differs from the guard's after its own last write;"
                            + " keeping the more suppressed union {}{}", key, kept.reasons(),
                            rewrite ? ", written again with the next screen" : "");
                }
                return;
            }
            boolean oursPending = ownRows.pending(key);
            if (value == null) {
                if (!oursPending && rows.remove(key) != null) {
                    LOG.info("DNC guard: suppression {} was lifted by another writer", key);
                }
                return;
            }
            SuppressionEntry theirs = parse(key, value);
            SuppressionEntry ours = rows.get(key);
            rows.put(key, oursPending && ours != null ? union(ours, theirs) : theirs);
            LOG.info("DNC guard: suppression {} {} by another writer", key, ours == null ? "added" : "changed");
        }
    }

    private void followNumbers(String personId, String value) {
        synchronized (lock) {
            if (ownNumbers.readBack(personId, value) || ownNumbers.pending(personId)) {
                return;
            }
            if (value == null) {
                numbers.remove(personId);
            } else {
                numbers.put(personId, parseNumbers(personId, value));
            }
        }
    }

    private static SuppressionEntry union(SuppressionEntry ours, SuppressionEntry theirs) {
        List<String> reasons = new ArrayList<>(ours.reasons());
        reasons.addAll(theirs.reasons());
        List<String> holders = null;
        if (ours.phone() != null) {
            Set<String> all = new LinkedHashSet<>(theirs.holdersOrSelf());
            all.addAll(ours.holdersOrSelf());
            holders = List.copyOf(all);
        }
        Map<String, String> setAt = new LinkedHashMap<>(ours.setAt());
        theirs.setAt().forEach((reason, time) -> setAt.merge(reason, time, SuppressionGuard::later));
        return new SuppressionEntry(ours.recordId(), ours.phone(), reasons, ours.since(), ours.source(), holders,
                setAt, ours.convertedTo() != null ? ours.convertedTo() : theirs.convertedTo());
    }

    private static SuppressionEntry parse(String key, String value) {
        try {
            return JSON.readValue(value, SuppressionEntry.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable suppression " + key, e);
        }
    }

    private static PersonNumbers parseNumbers(String personId, String value) {
        try {
            return JSON.readValue(value, PersonNumbers.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable person numbers " + personId, e);
        }
    }

    /** The value written to the suppression topic for a row. */
    public static String format(SuppressionEntry entry) {
        return json(entry);
    }

    /** The value written to the person-numbers topic for a row. */
    public static String format(PersonNumbers known) {
        return json(known);
    }

    private static String json(Object row) {
        try {
            return JSON.writeValueAsString(row);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
