package io.dialerbridge.disposition;

import java.util.List;
import java.util.Set;
import org.apache.camel.component.salesforce.api.dto.RestError;

/**
 * Decides whether Salesforce's refusal of one event in an sObject Collections response goes away by itself (retry
 * with backoff) or never will (dead-letter).
 *
 * <p>Only codes Salesforce documents as transient are retried: row locks, limits that reset, and publishing or server
 * unavailability. Anything else, including a code this list does not know, is permanent: a new transient code would
 * then dead-letter records, which can be replayed from the dead-letter topic, rather than block the flow forever.
 */
final class SalesforceRejections {

    static final Set<String> TRANSIENT = Set.of(
            "UNABLE_TO_LOCK_ROW",
            "REQUEST_LIMIT_EXCEEDED",
            "LIMIT_EXCEEDED",
            "TOO_MANY_ENQUEUED_EVENTS",
            "PLATFORM_EVENT_PUBLISHING_UNAVAILABLE",
            "PLATFORM_EVENT_PUBLISH_FAILED",
            "SERVER_UNAVAILABLE",
            "UNKNOWN_EXCEPTION");

    private SalesforceRejections() {
    }

    /** Whether every error of a failed record is transient; a failure without errors is treated as transient. */
    static boolean isTransient(List<RestError> errors) {
        if (errors == null || errors.isEmpty()) {
            return true;
        }
        return errors.stream().allMatch(error -> TRANSIENT.contains(error.getErrorCode()));
    }

    /** The errors as dead-letter violations: the field (or {@code $}) and {@code <code>: <message>}. */
    static List<FieldViolation> violations(List<RestError> errors) {
        if (errors == null || errors.isEmpty()) {
            return List.of(new FieldViolation(FieldViolation.ROOT, "Salesforce refused the event without a reason"));
        }
        return errors.stream()
                .map(error -> new FieldViolation(
                        error.getFields() == null || error.getFields().isEmpty() ? FieldViolation.ROOT
                                : String.join(",", error.getFields()),
                        error.getErrorCode() + ": " + error.getMessage()))
                .toList();
    }

    /** The codes only, for logs: Salesforce's messages may quote the rejected value (a phone, the notes). */
    static String codes(List<RestError> errors) {
        return errors == null ? "[]" : errors.stream().map(RestError::getErrorCode).toList().toString();
    }
}
