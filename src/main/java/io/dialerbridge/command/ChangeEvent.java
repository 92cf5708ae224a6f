package io.dialerbridge.command;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.dialerbridge.command.MappingException.Reason;

/**
 * A Change Data Capture event as the mappers need it: the ChangeEventHeader values camel copies into headers, the
 * body fields, and where the event came from.
 *
 * @param changeType    {@code CREATE}, {@code UPDATE}, {@code DELETE}, {@code UNDELETE} or a {@code GAP_*} type
 * @param entityName    the object API name, e.g. {@code Contact}
 * @param recordIds     the records the change applies to, usually one
 * @param changedFields Salesforce's {@code changedFields}, or {@code null} to treat every body field as changed,
 *                      which is what a CometD UPDATE body holds (the bridge passes null)
 * @param fields        the body without the ChangeEventHeader; empty for DELETE
 */
public record ChangeEvent(String changeType, String entityName, List<String> recordIds, List<String> changedFields,
        Map<String, Object> fields, EventOrigin origin) {

    public ChangeEvent {
        if (changeType == null || changeType.isBlank()) {
            throw new MappingException(Reason.MISSING_FIELD, "ChangeEventHeader.changeType is missing");
        }
        if (recordIds == null || recordIds.isEmpty()) {
            throw new MappingException(Reason.MISSING_FIELD, "ChangeEventHeader.recordIds is missing or empty");
        }
        Objects.requireNonNull(origin, "origin");
        // A repeated id would give two records the same command ids.
        recordIds = List.copyOf(new LinkedHashSet<>(recordIds));
        changedFields = changedFields == null ? null : List.copyOf(changedFields);
        fields = fields == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** Whether the event names several records, so each command id carries its record id. */
    public boolean fannedOut() {
        return recordIds.size() > 1;
    }
}
