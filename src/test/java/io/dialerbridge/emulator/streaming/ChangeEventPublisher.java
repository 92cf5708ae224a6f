package io.dialerbridge.emulator.streaming;

import io.dialerbridge.emulator.data.ChangeType;
import io.dialerbridge.emulator.data.FieldType;
import io.dialerbridge.emulator.data.RecordChange;
import io.dialerbridge.emulator.data.SObjectType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns committed record changes into Change Data Capture events with the CometD body rules: CREATE and UNDELETE
 * carry every non-empty field, UPDATE only what changed (nulls for cleared fields), DELETE only the header; the
 * person name is the compound {@code Name}. Identical changes to several records in one transaction share one
 * event, as Salesforce merges them.
 */
public final class ChangeEventPublisher {

    public static final String ALL_CHANGES_CHANNEL = "/data/ChangeEvents";
    /** The record id Salesforce puts in overflow events. */
    public static final String EMPTY_ID = "000000000000000AAA";

    private static final Set<String> NEVER_IN_BODY = Set.of("Id", "IsDeleted", "SystemModstamp");
    private static final List<String> NAME_PARTS = List.of("Salutation", "FirstName", "LastName");

    private final EventBus bus;
    private final AtomicLong gapCommitNumbers = new AtomicLong(90_000_000_000L);

    public ChangeEventPublisher(EventBus bus) {
        this.bus = bus;
    }

    /** Record store listener: publishes one event per group of identical changes in a transaction. */
    public void onCommit(List<RecordChange> changes) {
        List<RecordChange> pending = new ArrayList<>();
        Map<String, Object> pendingBody = null;
        for (RecordChange change : changes) {
            if (!change.type().isChangeDataCaptureEnabled()) {
                continue;
            }
            Map<String, Object> body = body(change);
            boolean sameAsPending = !pending.isEmpty() && pending.get(0).type() == change.type()
                    && pending.get(0).changeType() == change.changeType()
                    && change.changeType() != ChangeType.CREATE && change.changeType() != ChangeType.UNDELETE
                    && Objects.equals(pendingBody, body);
            if (!sameAsPending && !pending.isEmpty()) {
                publish(pending, pendingBody);
                pending = new ArrayList<>();
            }
            pending.add(change);
            pendingBody = body;
        }
        if (!pending.isEmpty()) {
            publish(pending, pendingBody);
        }
    }

    /** Emits a {@code GAP_<changeType>} event for one record: the header alone, as Salesforce sends them. */
    public long publishGap(SObjectType type, String recordId, ChangeType changeType, String userId, Instant when) {
        return publishHeaderOnly(type, List.of(recordId), "GAP_" + changeType.name(), userId, when);
    }

    /** Emits a {@code GAP_OVERFLOW} event: a transaction changed too many records of this entity to describe. */
    public long publishOverflow(SObjectType type, String userId, Instant when) {
        return publishHeaderOnly(type, List.of(EMPTY_ID), "GAP_OVERFLOW", userId, when);
    }

    private long publishHeaderOnly(SObjectType type, List<String> recordIds, String changeType, String userId,
            Instant when) {
        Map<String, Object> header = header(type, recordIds, changeType, "", UUID.randomUUID().toString(), 1, when,
                gapCommitNumbers.incrementAndGet(), userId, List.of());
        return bus.publish(List.of(type.changeEventChannel(), ALL_CHANGES_CHANNEL),
                replayId -> data(type, header, new LinkedHashMap<>(), replayId));
    }

    private void publish(List<RecordChange> group, Map<String, Object> body) {
        RecordChange first = group.get(0);
        List<String> recordIds = group.stream().map(RecordChange::recordId).toList();
        List<String> changedFields = first.changeType() == ChangeType.UPDATE ? changedFieldNames(first) : List.of();
        Map<String, Object> header = header(first.type(), recordIds, first.changeType().name(), first.changeOrigin(),
                first.transactionKey(), first.sequenceNumber(), first.committedAt(), first.commitNumber(),
                first.userId(), changedFields);
        bus.publish(List.of(first.type().changeEventChannel(), ALL_CHANGES_CHANNEL),
                replayId -> data(first.type(), header, body, replayId));
    }

    private static Map<String, Object> data(SObjectType type, Map<String, Object> header, Map<String, Object> body,
            long replayId) {
        Map<String, Object> payload = new LinkedHashMap<>(body);
        payload.put("ChangeEventHeader", header);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("schema", EventSchemas.changeEvent(type).id());
        data.put("payload", payload);
        data.put("event", Map.of("replayId", replayId));
        return data;
    }

    private static Map<String, Object> header(SObjectType type, List<String> recordIds, String changeType,
            String changeOrigin, String transactionKey, int sequenceNumber, Instant commitTime, long commitNumber,
            String userId, List<String> changedFields) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("entityName", type.name());
        header.put("recordIds", List.copyOf(recordIds));
        header.put("changeType", changeType);
        header.put("changeOrigin", changeOrigin);
        header.put("transactionKey", transactionKey);
        header.put("sequenceNumber", sequenceNumber);
        header.put("commitTimestamp", commitTime.toEpochMilli());
        header.put("commitNumber", commitNumber);
        header.put("commitUser", userId);
        header.put("changedFields", List.copyOf(changedFields));
        return header;
    }

    private static Map<String, Object> body(RecordChange change) {
        return switch (change.changeType()) {
            case CREATE, UNDELETE -> fullBody(change.type(), change.after());
            case UPDATE -> updateBody(change);
            case DELETE -> new LinkedHashMap<>();
        };
    }

    private static Map<String, Object> fullBody(SObjectType type, Map<String, Object> record) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (Map.Entry<String, FieldType> field : type.fields().entrySet()) {
            String name = field.getKey();
            if (NEVER_IN_BODY.contains(name) || (type.hasCompoundName() && NAME_PARTS.contains(name))) {
                continue;
            }
            if (field.getValue() == FieldType.COMPOUND_NAME) {
                Map<String, Object> compound = new LinkedHashMap<>();
                NAME_PARTS.forEach(part -> {
                    if (record.get(part) != null) {
                        compound.put(part, record.get(part));
                    }
                });
                if (!compound.isEmpty()) {
                    body.put(name, compound);
                }
            } else if (record.get(name) != null && !"".equals(record.get(name))) {
                body.put(name, WireFormat.value(record.get(name)));
            }
        }
        return body;
    }

    private static Map<String, Object> updateBody(RecordChange change) {
        SObjectType type = change.type();
        Map<String, Object> body = new LinkedHashMap<>();
        Map<String, Object> nameParts = new LinkedHashMap<>();
        for (String field : change.changedFields()) {
            Object value = WireFormat.value(change.after().get(field));
            if (type.hasCompoundName() && NAME_PARTS.contains(field)) {
                nameParts.put(field, value);
            } else {
                body.put(field, value);
            }
        }
        if (!nameParts.isEmpty()) {
            body.put("Name", nameParts);
        }
        body.put("LastModifiedDate", WireFormat.value(change.after().get("LastModifiedDate")));
        if (!Objects.equals(change.before().get("LastModifiedById"), change.after().get("LastModifiedById"))) {
            body.put("LastModifiedById", change.after().get("LastModifiedById"));
        }
        return body;
    }

    private static List<String> changedFieldNames(RecordChange change) {
        List<String> names = new ArrayList<>();
        for (String field : change.changedFields()) {
            names.add(change.type().hasCompoundName() && NAME_PARTS.contains(field) ? "Name." + field : field);
        }
        return names;
    }
}
