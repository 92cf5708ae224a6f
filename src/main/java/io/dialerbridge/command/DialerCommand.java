package io.dialerbridge.command;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One command for the dialer: where it goes on Kafka, its CloudEvents attributes, and the JSON {@code data} that
 * becomes the record value.
 *
 * <p>{@code data} keeps its insertion order and may hold {@code null} values, because in a
 * {@code dialer.contact.upsert} a {@code null} is a JSON Merge Patch instruction to clear the field; whoever
 * serialises it must therefore write nulls, not drop them.
 *
 * @param type    the command type, which also fixes the topic
 * @param key     the Kafka key: the person id, the campaign id, or {@code *}
 * @param id      CloudEvents {@code id}, deterministic per Salesforce event (see {@link EventOrigin})
 * @param source  CloudEvents {@code source}, {@code /salesforce/<orgId><channel>}
 * @param subject CloudEvents {@code subject}: the record the command is about (person, campaign or {@code *})
 * @param time    when the change happened in Salesforce
 * @param data    the JSON document sent as the Kafka record value
 */
public record DialerCommand(CommandType type, String key, String id, String source, String subject, Instant time,
        Map<String, Object> data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String CONTENT_TYPE = "application/json";

    public static final String HEADER_SPEC_VERSION = "ce_specversion";
    public static final String HEADER_ID = "ce_id";
    public static final String HEADER_SOURCE = "ce_source";
    public static final String HEADER_TYPE = "ce_type";
    public static final String HEADER_SUBJECT = "ce_subject";
    public static final String HEADER_TIME = "ce_time";
    public static final String HEADER_CONTENT_TYPE = "content-type";

    /**
     * Internal, never sent: on a {@code dialer.contact.remove} whose event stated phone fields, those fields as an
     * upsert states them, so the Do Not Call guard learns a removed person's numbers (a later suppress must carry
     * them); the guard strips it from the command it lets through, so the contract's remove stays as it is.
     */
    public static final String STATED_PHONES = "bridge.statedPhones";

    /**
     * Internal, never sent: on a {@code dialer.contact.remove} of a converted Lead, the Contact it became
     * ({@code ConvertedContactId}), so the Do Not Call guard can suppress the Contact for the Lead's reasons that
     * Salesforce does not carry over; the guard strips it like {@link #STATED_PHONES}.
     */
    public static final String CONVERTED_TO = "bridge.convertedTo";

    public DialerCommand {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(data, "data");
        data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    public CommandTopic topic() {
        return type.topic();
    }

    /** The CloudEvents binary-mode Kafka headers, in a stable order. */
    public Map<String, String> kafkaHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(HEADER_SPEC_VERSION, SPEC_VERSION);
        headers.put(HEADER_ID, id);
        headers.put(HEADER_SOURCE, source);
        headers.put(HEADER_TYPE, type.ceType());
        headers.put(HEADER_SUBJECT, subject);
        headers.put(HEADER_TIME, rfc3339(time));
        headers.put(HEADER_CONTENT_TYPE, CONTENT_TYPE);
        return Collections.unmodifiableMap(headers);
    }

    /** RFC 3339 in UTC with a {@code Z}; fractional seconds only when the instant has them. */
    static String rfc3339(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant);
    }
}
