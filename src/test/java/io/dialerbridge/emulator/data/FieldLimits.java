package io.dialerbridge.emulator.data;

import java.util.List;

/** The field-level refusals several object rules share, worded as Salesforce words them. */
final class FieldLimits {

    private FieldLimits() {
    }

    static void maxLength(String field, String value, int max) {
        if (value != null && value.length() > max) {
            throw new SalesforceApiException(400, "STRING_TOO_LONG",
                    field + ": data value too large: " + value + " (max length=" + max + ")", List.of(field));
        }
    }

    static SalesforceApiException duplicate(String field, Object existingId) {
        return new SalesforceApiException(400, "DUPLICATE_VALUE",
                "duplicate value found: " + field + " duplicates value on record with id: " + existingId,
                List.of(field));
    }
}
