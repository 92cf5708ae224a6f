package io.dialerbridge.disposition;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One reason a request was refused, naming the field it concerns; serialised as {@code {"field", "message"}} in
 * problem+json bodies and dead-letter records.
 *
 * <p>Messages never repeat the offending value: they end up in logs and on the dead-letter topic, and the values
 * include phone numbers and free-text notes.
 */
@JsonPropertyOrder({"field", "message"})
public record FieldViolation(String field, String message) {

    /** The field name the document root gets when the whole value is wrong (for example, not a JSON object). */
    public static final String ROOT = "$";

    /** The same violation seen from an enclosing array: {@code recordId} at index 3 becomes {@code [3].recordId}. */
    FieldViolation atIndex(int index) {
        String prefix = "[" + index + "]";
        if (ROOT.equals(field)) {
            return new FieldViolation(prefix, message);
        }
        return new FieldViolation(prefix + "." + field, message);
    }
}
