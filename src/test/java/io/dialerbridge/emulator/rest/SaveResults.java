package io.dialerbridge.emulator.rest;

import io.dialerbridge.emulator.data.CaseSafeId;
import io.dialerbridge.emulator.data.SalesforceApiException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * SaveResults as the REST API returns them for creates, updates, deletes and publishes. Their errors carry
 * {@code statusCode} where REST error bodies carry {@code errorCode}; camel reads either.
 */
final class SaveResults {

    static final String ROLLED_BACK = "ALL_OR_NONE_OPERATION_ROLLED_BACK";
    static final String ROLLED_BACK_MESSAGE =
            "Record rolled back because not all records were valid and the request was using AllOrNone header";

    private static final AtomicLong PUBLISH_SEQUENCE = new AtomicLong();

    private SaveResults() {
    }

    static Map<String, Object> success(String id) {
        return result(id, true, List.of());
    }

    /**
     * A platform event publish: a throw-away {@code e01} id (Salesforce promises no uniqueness) and the event's UUID
     * in an OPERATION_ENQUEUED "error", because publishing over REST is asynchronous.
     */
    static Map<String, Object> enqueued(String eventUuid) {
        String digits = String.format("%010d", PUBLISH_SEQUENCE.incrementAndGet() % 10_000_000_000L);
        return result(CaseSafeId.of("e01xx" + digits), true,
                List.of(error("OPERATION_ENQUEUED", eventUuid, List.of())));
    }

    /** A failed item; {@code id} is null for a create, which never got one. */
    static Map<String, Object> failure(String id, SalesforceApiException failure) {
        return failure(id, failure.errorCode(), failure.getMessage(), failure.fields());
    }

    static Map<String, Object> failure(String id, String statusCode, String message, List<String> fields) {
        return result(id, false, List.of(error(statusCode, message, fields)));
    }

    static Map<String, Object> rolledBack(String id) {
        return failure(id, ROLLED_BACK, ROLLED_BACK_MESSAGE, List.of());
    }

    private static Map<String, Object> result(String id, boolean success, List<Map<String, Object>> errors) {
        Map<String, Object> result = new LinkedHashMap<>();
        if (id != null) {
            result.put("id", id);
        }
        result.put("success", success);
        result.put("errors", errors);
        return result;
    }

    private static Map<String, Object> error(String statusCode, String message, List<String> fields) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("statusCode", statusCode);
        error.put("message", message);
        error.put("fields", fields);
        return error;
    }
}
