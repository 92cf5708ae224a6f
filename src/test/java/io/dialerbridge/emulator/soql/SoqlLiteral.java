package io.dialerbridge.emulator.soql;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Objects;
import java.util.Optional;

/**
 * A value written in a WHERE clause, and how a record's field value compares with it under SOQL's rules.
 *
 * <p>Records carry no schema, so a field's type is read from its value: Strings that look like ISO dates are dates
 * when compared with a date literal, numeric Strings are numbers when compared with a number. A field value of a type
 * Salesforce would refuse to compare (it rejects such queries outright) simply does not match.
 */
public record SoqlLiteral(Kind kind, Object value) {

    public enum Kind { STRING, NUMBER, BOOLEAN, NULL, DATE, DATE_TIME }

    /** Salesforce writes {@code Z}, {@code +00:00} or, before API 37, {@code +0000}; millis are optional. */
    private static final DateTimeFormatter ISO_DATE_TIME = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .appendLiteral('T')
            .appendPattern("HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .toFormatter();

    public SoqlLiteral {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.NULL) != (value == null)) {
            throw new IllegalArgumentException("only a NULL literal has no value");
        }
    }

    public static SoqlLiteral text(String value) {
        return new SoqlLiteral(Kind.STRING, value);
    }

    public static SoqlLiteral number(BigDecimal value) {
        return new SoqlLiteral(Kind.NUMBER, value);
    }

    public static SoqlLiteral bool(boolean value) {
        return new SoqlLiteral(Kind.BOOLEAN, value);
    }

    public static SoqlLiteral nullValue() {
        return new SoqlLiteral(Kind.NULL, null);
    }

    public static SoqlLiteral date(LocalDate value) {
        return new SoqlLiteral(Kind.DATE, value);
    }

    public static SoqlLiteral dateTime(Instant value) {
        return new SoqlLiteral(Kind.DATE_TIME, value);
    }

    /** Whether {@code field = literal} holds for this field value. */
    boolean isEqualTo(Object fieldValue) {
        switch (kind) {
            case NULL:
                // Salesforce: on a checkbox, "= null" matches false
                return fieldValue == null || Boolean.FALSE.equals(fieldValue);
            case BOOLEAN:
                return value.equals(asBoolean(fieldValue));
            default:
                return compareFrom(fieldValue).map(order -> order == 0).orElse(false);
        }
    }

    /**
     * The sign of (field value − literal), or empty where the two have no order: a null on either side, booleans,
     * or a field value that does not read as the literal's type.
     */
    Optional<Integer> compareFrom(Object fieldValue) {
        if (fieldValue == null) {
            return Optional.empty();
        }
        switch (kind) {
            case STRING:
                return Optional.of(Integer.signum(
                        String.CASE_INSENSITIVE_ORDER.compare(fieldValue.toString(), (String) value)));
            case NUMBER:
                return asNumber(fieldValue).map(number -> number.compareTo((BigDecimal) value));
            case DATE:
                return asDate(fieldValue).map(date -> Integer.signum(date.compareTo((LocalDate) value)));
            case DATE_TIME:
                return asInstant(fieldValue).map(instant -> Integer.signum(instant.compareTo((Instant) value)));
            default:
                return Optional.empty();
        }
    }

    /** A SOQL date-time literal, which unlike a stored value must carry its offset. */
    static Instant parseDateTimeLiteral(String text) {
        TemporalAccessor parsed = ISO_DATE_TIME.parse(text);
        if (!parsed.isSupported(ChronoField.OFFSET_SECONDS)) {
            throw new DateTimeParseException("date-time literal without an offset", text, text.length());
        }
        return OffsetDateTime.from(parsed).toInstant();
    }

    /** Checkboxes are never null in Salesforce, so a missing boolean reads as false. */
    private static Boolean asBoolean(Object fieldValue) {
        if (fieldValue == null) {
            return Boolean.FALSE;
        }
        if (fieldValue instanceof Boolean b) {
            return b;
        }
        String text = fieldValue.toString();
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.valueOf(text);
        }
        return null;
    }

    private static Optional<BigDecimal> asNumber(Object fieldValue) {
        if (fieldValue instanceof BigDecimal decimal) {
            return Optional.of(decimal);
        }
        if (fieldValue instanceof BigInteger integer) {
            return Optional.of(new BigDecimal(integer));
        }
        if (fieldValue instanceof Double || fieldValue instanceof Float) {
            double d = ((Number) fieldValue).doubleValue();
            return Double.isFinite(d) ? Optional.of(BigDecimal.valueOf(d)) : Optional.empty();
        }
        if (fieldValue instanceof Number number) {
            return Optional.of(BigDecimal.valueOf(number.longValue()));
        }
        if (fieldValue instanceof String text) {
            try {
                return Optional.of(new BigDecimal(text.trim()));
            } catch (NumberFormatException notANumber) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static Optional<LocalDate> asDate(Object fieldValue) {
        if (fieldValue instanceof Instant instant) {
            return Optional.of(instant.atOffset(ZoneOffset.UTC).toLocalDate());
        }
        if (!(fieldValue instanceof String text)) {
            return Optional.empty();
        }
        try {
            return Optional.of(text.length() == 10
                    ? LocalDate.parse(text)
                    : toInstant(text).atOffset(ZoneOffset.UTC).toLocalDate());
        } catch (DateTimeParseException notADate) {
            return Optional.empty();
        }
    }

    private static Optional<Instant> asInstant(Object fieldValue) {
        if (fieldValue instanceof Instant instant) {
            return Optional.of(instant);
        }
        if (!(fieldValue instanceof String text)) {
            return Optional.empty();
        }
        try {
            return Optional.of(toInstant(text));
        } catch (DateTimeParseException notADateTime) {
            return Optional.empty();
        }
    }

    /** A stored date-time; a plain date counts as its start in UTC, and a missing offset as UTC. */
    private static Instant toInstant(String text) {
        if (text.length() == 10) {
            return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
        }
        TemporalAccessor parsed = ISO_DATE_TIME.parse(text);
        if (parsed.isSupported(ChronoField.OFFSET_SECONDS)) {
            return OffsetDateTime.from(parsed).toInstant();
        }
        return LocalDateTime.from(parsed).toInstant(ZoneOffset.UTC);
    }
}
