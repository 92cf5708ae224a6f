package io.dialerbridge.suppression;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dialerbridge.command.CommandType;
import io.dialerbridge.command.DialerCommand;
import io.dialerbridge.command.phone.PhoneNormalizer;
import io.dialerbridge.replay.CompactedTable;
import io.dialerbridge.replay.KafkaCompactedTopic;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import io.micrometer.core.instrument.Metrics;
import org.apache.camel.Body;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Do Not Call guard: while a person or a number is suppressed, no command that would make it callable (an upsert
 * or a campaign membership) leaves the bridge. It learns suppressions from the commands it screens and from the
 * compacted {@code dialer.suppressions} topic, which it reads whole at start, so suppressions survive restarts.
 * A blocked command is counted and logged, never dropped silently.
 *
 * <p>A Salesforce {@code DoNotCall=false} lifts only a suppression Salesforce itself set: a suppression from a
 * disposition or a status stays until lifted by the same kind of source, because an unsuppress that overtakes the
 * Salesforce update for a disposition would otherwise make the person callable again.
 *
 * <p>Screening is serialised (one screen at a time, across channels). A screen whose Kafka transaction aborts can
 * be taken back ({@link #screenUndoably}, {@link #undo}), so the events can be screened again, in order, against
 * the table as it is when they are sent again.
 */
public class SuppressionGuard {

    private static final Logger LOG = LoggerFactory.getLogger(SuppressionGuard.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SALESFORCE_DNC = "SALESFORCE_DNC";

    private final Map<String, SuppressionEntry> table = new ConcurrentHashMap<>();
    private final CompactedTable stored;
    private final AtomicLong blocked = new AtomicLong();
    /** Where the screen in progress records what it changes; null when nobody will take it back. */
    private Undo recording;

    /** @param storage opens the suppression topic; called once, on first use (the rows are written by the routes) */
    public SuppressionGuard(Supplier<KafkaCompactedTopic> storage) {
        this.stored = new CompactedTable(storage, rows -> {
            rows.forEach((key, value) -> table.put(key, parse(key, value)));
            LOG.info("Loaded {} suppressions", table.size());
        });
    }

    /** Reads the suppression topic once; the stream consumers call this before their first event. */
    public void load() {
        stored.topic();
    }

    /** Route step: lets through what may leave, in order, and says which suppression rows change. */
    public synchronized Screened screen(@Body List<DialerCommand> commands) {
        load();
        List<DialerCommand> allowed = new ArrayList<>();
        List<SuppressionChange> changes = new ArrayList<>();
        for (DialerCommand command : commands) {
            switch (command.type()) {
                case CONTACT_SUPPRESS -> {
                    changes.addAll(suppress(command));
                    allowed.add(command);
                }
                case CONTACT_UNSUPPRESS -> {
                    List<SuppressionChange> lifted = unsuppress(command);
                    if (!lifted.isEmpty()) {
                        changes.addAll(lifted);
                        allowed.add(command);
                    }
                }
                case CONTACT_UPSERT, CAMPAIGN_MEMBER_ADD -> {
                    String reason = suppressedBecause(command);
                    if (reason == null) {
                        allowed.add(command);
                    } else {
                        blocked.incrementAndGet();
                        Metrics.counter("dialer.guard.blocked", "type", command.type().ceType()).increment();
                        LOG.warn("DNC guard blocked {} {} for {}: {}", command.type().ceType(), command.id(),
                                command.key(), reason);
                    }
                }
                default -> allowed.add(command);
            }
        }
        return new Screened(List.copyOf(allowed), List.copyOf(changes));
    }

    /** Screens like {@link #screen}, and records in {@code undo} what the screen changed, so it can be taken back. */
    public synchronized Screened screenUndoably(List<DialerCommand> commands, Undo undo) {
        recording = undo;
        try {
            return screen(commands);
        } finally {
            recording = null;
        }
    }

    /**
     * Takes back a screen whose records never reached Kafka: each row it changed gets its value from before the
     * screen again, unless a later screen changed that row since (the later one is newer, and stays). Screens are
     * taken back newest first.
     */
    public synchronized void undo(Undo undo) {
        List<String> keys = new ArrayList<>(undo.before.keySet());
        for (int i = keys.size() - 1; i >= 0; i--) {
            String key = keys.get(i);
            if (table.get(key) == undo.after.get(key)) {
                SuppressionEntry before = undo.before.get(key);
                if (before == null) {
                    table.remove(key);
                } else {
                    table.put(key, before);
                }
            }
        }
    }

    /** Runs {@code work} with no screen in between, e.g. taking back a transaction's screens and screening again. */
    public synchronized <T> T atomically(Supplier<T> work) {
        return work.get();
    }

    /** Records a suppression that did not come through {@link #screen} (a DO_NOT_CALL disposition). */
    public void remember(Collection<SuppressionEntry> entries) {
        entries.forEach(entry -> table.put(entry.key(), entry));
    }

    public boolean isSuppressed(String recordId) {
        return table.containsKey(SuppressionEntry.recordKey(recordId));
    }

    /** Commands the guard has blocked since start. */
    public long blockedCount() {
        return blocked.get();
    }

    private List<SuppressionChange> suppress(DialerCommand command) {
        String recordId = command.key();
        String reason = String.valueOf(command.data().get("reason"));
        String since = Objects.toString(command.data().get("requestedAt"), command.time().toString());
        List<SuppressionChange> changes = new ArrayList<>();
        SuppressionEntry held = table.get(SuppressionEntry.recordKey(recordId));
        if (held != null && !SALESFORCE_DNC.equals(held.reason()) && SALESFORCE_DNC.equals(reason)) {
            // Salesforce confirming a disposition's or a status's DNC does not make it Salesforce's to lift.
            reason = held.reason();
        }
        SuppressionEntry person = new SuppressionEntry(recordId, null, reason, since, command.id());
        write(person.key(), person);
        changes.add(new SuppressionChange(person.key(), person));
        if (command.data().get("phones") instanceof Collection<?> phones) {
            for (Object phone : phones) {
                SuppressionEntry existing = table.get(SuppressionEntry.phoneKey(phone.toString()));
                List<String> holders = new ArrayList<>();
                if (existing != null) {
                    existing.holdersOrSelf().stream().filter(holder -> !holder.equals(recordId)).forEach(holders::add);
                }
                holders.add(recordId);
                SuppressionEntry number = new SuppressionEntry(recordId, phone.toString(), reason, since, command.id(),
                        holders);
                write(number.key(), number);
                changes.add(new SuppressionChange(number.key(), number));
            }
        }
        return changes;
    }

    private List<SuppressionChange> unsuppress(DialerCommand command) {
        String recordId = command.key();
        SuppressionEntry person = table.get(SuppressionEntry.recordKey(recordId));
        if (person == null) {
            return List.of();
        }
        if (!SALESFORCE_DNC.equals(person.reason())) {
            LOG.warn("DNC guard kept the {} suppression of {}: Salesforce cleared DoNotCall, but it did not set this"
                    + " suppression", person.reason(), recordId);
            return List.of();
        }
        List<SuppressionChange> changes = new ArrayList<>();
        for (SuppressionEntry entry : List.copyOf(table.values())) {
            if (entry.phone() != null && entry.holdersOrSelf().contains(recordId)) {
                // A number someone else still suppresses stays suppressed, now held by them alone.
                List<String> others = entry.holdersOrSelf().stream().filter(holder -> !holder.equals(recordId)
                        && table.containsKey(SuppressionEntry.recordKey(holder))).toList();
                if (!others.isEmpty()) {
                    String holder = others.get(others.size() - 1);
                    SuppressionEntry kept = new SuppressionEntry(holder, entry.phone(),
                            table.get(SuppressionEntry.recordKey(holder)).reason(), entry.since(), entry.source(),
                            others);
                    write(kept.key(), kept);
                    changes.add(new SuppressionChange(kept.key(), kept));
                    continue;
                }
            }
            if (recordId.equals(entry.recordId()) && SALESFORCE_DNC.equals(entry.reason())) {
                write(entry.key(), null);
                changes.add(new SuppressionChange(entry.key(), null));
            }
        }
        return changes;
    }

    /** Every change to the table made by a screen goes through here, so the screen can be taken back. */
    private void write(String key, SuppressionEntry entry) {
        SuppressionEntry previous = entry == null ? table.remove(key) : table.put(key, entry);
        if (recording != null) {
            recording.record(key, previous, entry);
        }
    }

    @SuppressWarnings("unchecked")
    private String suppressedBecause(DialerCommand command) {
        String personId = command.key();
        SuppressionEntry person = table.get(SuppressionEntry.recordKey(personId));
        if (person != null) {
            return "person suppressed (" + person.reason() + ")";
        }
        if (command.type() == CommandType.CONTACT_UPSERT && command.data().get("phones") instanceof Map<?, ?> phones) {
            for (Object phone : phones.values()) {
                if (phone instanceof Map<?, ?> number && number.get("e164") instanceof String e164
                        && table.containsKey(SuppressionEntry.phoneKey(e164))) {
                    return "number " + PhoneNormalizer.mask(e164) + " suppressed";
                }
            }
        }
        return null;
    }

    private static SuppressionEntry parse(String key, String value) {
        try {
            return JSON.readValue(value, SuppressionEntry.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable suppression " + key, e);
        }
    }

    /** What one screen changed in the table: each row's value before the screen and the value it left. */
    public static final class Undo {
        private final Map<String, SuppressionEntry> before = new LinkedHashMap<>();
        private final Map<String, SuppressionEntry> after = new HashMap<>();

        void record(String key, SuppressionEntry previous, SuppressionEntry now) {
            if (!before.containsKey(key)) {
                before.put(key, previous);
            }
            after.put(key, now);
        }
    }

    /** The value written to the suppression topic for a row. */
    public static String format(SuppressionEntry entry) {
        try {
            return JSON.writeValueAsString(entry);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
