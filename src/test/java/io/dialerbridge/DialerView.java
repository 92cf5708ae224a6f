package io.dialerbridge;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What a dialer that follows the bridge's topics believes, folded from the records in the order it reads them: who
 * it knows, with which numbers and campaigns, who is suppressed, and which numbers are suppressed.
 *
 * <p>The fold is the contract's (docs/asyncapi.yaml, docs/dialer-contract.md), read as a careful dialer
 * would:
 * <ul>
 *   <li>Commands on {@code dialer.contact-commands} are de-duplicated by {@code ce_id} (delivery is at least once and
 *       a redelivered command keeps its id); the first occurrence counts.</li>
 *   <li>{@code contact.upsert} is a JSON merge patch of the person: fields present are set, {@code null} clears; each
 *       phone field holds its {@code e164} (null when unreadable). It makes a removed person known again.</li>
 *   <li>{@code contact.suppress} suppresses the person; {@code contact.unsuppress} lifts the person's suppression
 *       (the bridge sends it only when nothing else keeps the person suppressed). {@code contact.remove} forgets the
 *       person for calling; it lifts no suppression.</li>
 *   <li>{@code campaign-member.add} / {@code .remove} put the person in or take them out of a campaign.</li>
 *   <li>{@code dialer.suppressions} is a compacted table: {@code phone:<E.164>} rows are the suppressed numbers,
 *       a null value lifts the row. Numbers are suppressed only through this table (the suppress command's
 *       {@code phones} are kept as {@link #numbersNamedBySuppress()} for diagnosis).</li>
 * </ul>
 * A person is callable when known, not removed and not suppressed; their callable numbers are their readable
 * numbers that are not suppressed.
 */
public final class DialerView {

    public static final String CONTACT_COMMANDS = "dialer.contact-commands";
    public static final String CAMPAIGN_CONTROL = "dialer.campaign-control";
    public static final String SUPPRESSIONS = "dialer.suppressions";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    /** One command as the dialer received it, once. */
    public record Command(String topic, String key, String type, String id, Map<String, Object> data,
            long offset, int partition) {

        @Override
        public String toString() {
            return type + " " + id + " key " + key + " " + data + " (" + topic + "-" + partition + "@" + offset + ")";
        }
    }

    /** What the dialer knows about one person. */
    public static final class Person {
        private final String id;
        private final Map<String, Object> fields = new LinkedHashMap<>();
        private final Map<String, String> phones = new LinkedHashMap<>();
        private final Set<String> campaigns = new LinkedHashSet<>();
        private boolean known;
        private boolean removed;
        private boolean suppressed;

        Person(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        /** Whether an upsert has ever made the person known. */
        public boolean known() {
            return known;
        }

        public boolean removed() {
            return removed;
        }

        public boolean suppressed() {
            return suppressed;
        }

        /** Contract fields other than phones ({@code firstName}, {@code lastName}, {@code email}, {@code status}…). */
        public Map<String, Object> fields() {
            return Collections.unmodifiableMap(fields);
        }

        /** Phone field to E.164 (null when the number could not be read); cleared fields are absent. */
        public Map<String, String> phones() {
            return Collections.unmodifiableMap(phones);
        }

        /** The readable numbers the person has. */
        public Set<String> numbers() {
            Set<String> numbers = new LinkedHashSet<>();
            phones.values().stream().filter(java.util.Objects::nonNull).forEach(numbers::add);
            return numbers;
        }

        public Set<String> campaigns() {
            return Collections.unmodifiableSet(campaigns);
        }

        @Override
        public String toString() {
            return id + (known ? "" : " (never upserted)") + (removed ? " removed" : "")
                    + (suppressed ? " SUPPRESSED" : "") + " phones " + phones + " campaigns " + campaigns
                    + " " + fields;
        }
    }

    private final Map<String, Person> people = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> suppressionRows = new LinkedHashMap<>();
    private final Set<String> numbersNamedBySuppress = new LinkedHashSet<>();
    private final Set<String> seen = new HashSet<>();
    private long commands;
    private long duplicates;

    /**
     * Folds one record of any of the three topics into the view.
     *
     * @return the command, when the record is a command seen for the first time; empty for duplicates, suppression
     *         rows and records of other topics
     */
    public Optional<Command> apply(ConsumerRecord<String, String> record) {
        if (SUPPRESSIONS.equals(record.topic())) {
            if (record.value() == null) {
                suppressionRows.remove(record.key());
            } else {
                suppressionRows.put(record.key(), parse(record.value()));
            }
            return Optional.empty();
        }
        if (!CONTACT_COMMANDS.equals(record.topic()) && !CAMPAIGN_CONTROL.equals(record.topic())) {
            return Optional.empty();
        }
        String id = KafkaTopicReader.header(record, "ce_id");
        if (!seen.add(record.topic() + " " + id)) {
            duplicates++;
            return Optional.empty();
        }
        commands++;
        Command command = new Command(record.topic(), record.key(), KafkaTopicReader.header(record, "ce_type"), id,
                record.value() == null ? Map.of() : parse(record.value()), record.offset(), record.partition());
        if (CONTACT_COMMANDS.equals(record.topic())) {
            applyContactCommand(command);
        }
        return Optional.of(command);
    }

    @SuppressWarnings("unchecked")
    private void applyContactCommand(Command command) {
        Person person = people.computeIfAbsent(command.key(), Person::new);
        Map<String, Object> data = command.data();
        switch (String.valueOf(command.type())) {
            case "dialer.contact.upsert" -> {
                person.known = true;
                person.removed = false;
                data.forEach((field, value) -> {
                    if (field.equals("phones") && value instanceof Map<?, ?> phones) {
                        ((Map<String, Object>) phones).forEach((phoneField, phone) -> {
                            if (phone == null) {
                                person.phones.remove(phoneField);
                            } else {
                                Object e164 = ((Map<String, Object>) phone).get("e164");
                                person.phones.put(phoneField, e164 == null ? null : e164.toString());
                            }
                        });
                    } else if (!field.equals("recordId") && !field.equals("changedFields")) {
                        if (value == null) {
                            person.fields.remove(field);
                        } else {
                            person.fields.put(field, value);
                        }
                    }
                });
            }
            case "dialer.contact.suppress" -> {
                person.suppressed = true;
                if (data.get("phones") instanceof List<?> phones) {
                    phones.forEach(phone -> numbersNamedBySuppress.add(String.valueOf(phone)));
                }
            }
            case "dialer.contact.unsuppress" -> person.suppressed = false;
            case "dialer.contact.remove" -> person.removed = true;
            case "dialer.campaign-member.add" -> person.campaigns.add(String.valueOf(data.get("campaignId")));
            case "dialer.campaign-member.remove" -> person.campaigns.remove(String.valueOf(data.get("campaignId")));
            default -> {
                // campaign control and anything newer: nothing about this person's callability
            }
        }
    }

    public Optional<Person> person(String id) {
        return Optional.ofNullable(people.get(id));
    }

    public Map<String, Person> people() {
        return Collections.unmodifiableMap(people);
    }

    /** Known, not removed and not suppressed. */
    public boolean isCallable(String id) {
        Person person = people.get(id);
        return person != null && person.known && !person.removed && !person.suppressed;
    }

    public boolean isSuppressed(String id) {
        Person person = people.get(id);
        return person != null && person.suppressed;
    }

    /** The numbers the dialer may call the person on: none unless callable, and never a suppressed number. */
    public Set<String> callableNumbers(String id) {
        if (!isCallable(id)) {
            return Set.of();
        }
        Set<String> numbers = new LinkedHashSet<>(people.get(id).numbers());
        numbers.removeIf(this::isNumberSuppressed);
        return numbers;
    }

    public boolean isNumberSuppressed(String e164) {
        return suppressionRows.containsKey("phone:" + e164);
    }

    /** The live {@code phone:} rows of {@code dialer.suppressions}. */
    public Set<String> suppressedNumbers() {
        Set<String> numbers = new LinkedHashSet<>();
        suppressionRows.keySet().stream().filter(key -> key.startsWith("phone:"))
                .forEach(key -> numbers.add(key.substring("phone:".length())));
        return numbers;
    }

    /** Whether {@code dialer.suppressions} has a live {@code record:} row for the person. */
    public boolean hasSuppressionRow(String id) {
        return suppressionRows.containsKey("record:" + id);
    }

    /** Every number a suppress command listed, lifted or not. */
    public Set<String> numbersNamedBySuppress() {
        return Collections.unmodifiableSet(numbersNamedBySuppress);
    }

    /** Commands folded (first occurrences). */
    public long commandCount() {
        return commands;
    }

    /** Commands seen again under an id already folded. */
    public long duplicateCount() {
        return duplicates;
    }

    private static Map<String, Object> parse(String value) {
        try {
            Map<String, Object> parsed = JSON.readValue(value, MAP);
            return parsed == null ? Map.of() : parsed;
        } catch (IOException e) {
            throw new UncheckedIOException("Not a JSON object: " + value, e);
        }
    }
}
