package io.dialerbridge.emulator.data;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One committed change to one record, as the event bus needs it: the record before and after, and which fields
 * the change touched.
 *
 * @param before the record before the change; empty for a create
 * @param after the record after the change; for a delete, the record as it was deleted
 * @param changedFields the fields whose values changed, in the object's field order
 * @param changeOrigin Salesforce's {@code changeOrigin}: which API and client made the change
 */
public record RecordChange(SObjectType type, ChangeType changeType, String recordId, Map<String, Object> before,
        Map<String, Object> after, List<String> changedFields, String userId, Instant committedAt,
        String transactionKey, int sequenceNumber, long commitNumber, String changeOrigin) {
}
