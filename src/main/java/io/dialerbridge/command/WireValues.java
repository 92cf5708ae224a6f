package io.dialerbridge.command;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Locale;

import io.dialerbridge.command.MappingException.Reason;

/**
 * Reads values the way camel-salesforce hands them over. That depends on the CometD JSON parser in use: numbers arrive
 * as {@code Long} or {@code Integer}, arrays as {@code List} or {@code Object[]}, dates as strings with {@code Z} or
 * {@code +0000}, and platform event fields as strings only.
 */
final class WireValues {

    /** Salesforce writes {@code Z}, {@code +0000} (before API 37) and sometimes {@code +00:00}. */
    private static final DateTimeFormatter SALESFORCE_DATE_TIME = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .toFormatter(Locale.ROOT);

    private WireValues() {
    }

    static long replayId(Object value) {
        if (value instanceof Number number) {
            return number.longValue();
        }
        if (value instanceof String text && !text.isBlank()) {
            try {
                return Long.parseLong(text.strip());
            } catch (NumberFormatException e) {
                throw new MappingException(Reason.INVALID_VALUE, "replay id is not a number: " + text);
            }
        }
        throw new MappingException(Reason.MISSING_FIELD, "the event has no replay id");
    }

    static String channel(String channel) {
        if (channel == null || channel.isBlank()) {
            throw new MappingException(Reason.MISSING_FIELD, "the event has no channel");
        }
        return channel;
    }

    /** An instant from an epoch-millisecond number, a java.time value, or a Salesforce date-time string. */
    static Instant instant(Object value, String what) {
        if (value == null || (value instanceof String text && text.isBlank())) {
            throw new MappingException(Reason.MISSING_FIELD, what + " is missing");
        }
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof ZonedDateTime zoned) {
            return zoned.toInstant();
        }
        if (value instanceof OffsetDateTime offset) {
            return offset.toInstant();
        }
        if (value instanceof Date date) {
            return date.toInstant();
        }
        if (value instanceof Number millis) {
            return Instant.ofEpochMilli(millis.longValue());
        }
        String text = value.toString().strip();
        try {
            return OffsetDateTime.parse(text, SALESFORCE_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new MappingException(Reason.INVALID_VALUE, what + " is not a date-time with an offset: " + text);
        }
    }

    /** A list of strings from a {@code List}, an {@code Object[]} or a single string. */
    static List<String> strings(Object value, String what) {
        if (value == null) {
            throw new MappingException(Reason.MISSING_FIELD, what + " is missing");
        }
        List<String> strings = new ArrayList<>();
        if (value instanceof Collection<?> collection) {
            collection.forEach(item -> strings.add(item == null ? null : item.toString()));
        } else if (value instanceof Object[] array) {
            for (Object item : array) {
                strings.add(item == null ? null : item.toString());
            }
        } else {
            strings.add(value.toString());
        }
        if (strings.isEmpty() || strings.contains(null)) {
            throw new MappingException(Reason.MISSING_FIELD, what + " is empty or holds a null");
        }
        return strings;
    }

    /** {@code null} when the value is absent, so callers can tell "not said" from "false". */
    static Boolean bool(Object value, String what) {
        if (value == null) {
            return null;
        }
        if (value instanceof Boolean bool) {
            return bool;
        }
        String text = value.toString().strip();
        if (text.equalsIgnoreCase("true")) {
            return Boolean.TRUE;
        }
        if (text.equalsIgnoreCase("false")) {
            return Boolean.FALSE;
        }
        throw new MappingException(Reason.INVALID_VALUE, what + " is not a boolean: " + text);
    }

    /** The value as text, or {@code null} when it is absent or blank. */
    static String text(Object value) {
        if (value == null) {
            return null;
        }
        String text = value.toString();
        return text.isBlank() ? null : text;
    }
}
