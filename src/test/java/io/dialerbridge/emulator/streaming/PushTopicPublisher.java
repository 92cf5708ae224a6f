package io.dialerbridge.emulator.streaming;

import io.dialerbridge.emulator.data.ChangeType;
import io.dialerbridge.emulator.data.RecordChange;
import io.dialerbridge.emulator.data.RecordStore;
import io.dialerbridge.emulator.data.SObjectType;
import io.dialerbridge.emulator.soql.SoqlException;
import io.dialerbridge.emulator.soql.SoqlQuery;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Notifies {@code /topic/<Name>} subscribers of record changes that match an active PushTopic, honouring its
 * {@code NotifyForFields} and {@code NotifyForOperation*} settings; the event's {@code sobject} holds exactly the
 * query's SELECT fields.
 */
public final class PushTopicPublisher {

    private static final Set<String> NAME_PARTS = Set.of("salutation", "firstname", "lastname");

    private final RecordStore records;
    private final EventBus bus;
    private final Map<String, SoqlQuery> parsedQueries = new ConcurrentHashMap<>();
    private volatile List<Map<String, Object>> activeTopics;

    public PushTopicPublisher(RecordStore records, EventBus bus) {
        this.records = records;
        this.bus = bus;
    }

    /** Record store listener, run in commit order (under the store's commit lock). */
    public void onCommit(List<RecordChange> changes) {
        // The active topics are read again only when a commit touches a PushTopic, not on every commit: reading
        // them means walking every record of the org.
        if (activeTopics == null || changes.stream().anyMatch(change -> change.type() == SObjectType.PUSH_TOPIC)) {
            activeTopics = records.records(SObjectType.PUSH_TOPIC).stream()
                    .filter(topic -> Boolean.TRUE.equals(topic.get("IsActive")))
                    .toList();
        }
        List<Map<String, Object>> topics = activeTopics;
        if (topics.isEmpty()) {
            return;
        }
        for (RecordChange change : changes) {
            for (Map<String, Object> topic : topics) {
                notify(topic, change);
            }
        }
    }

    private void notify(Map<String, Object> topic, RecordChange change) {
        SoqlQuery query;
        try {
            query = parsedQueries.computeIfAbsent((String) topic.get("Query"), SoqlQuery::parse);
        } catch (SoqlException invalid) {
            return;
        }
        if (!query.objectName().equalsIgnoreCase(change.type().name())) {
            return;
        }
        Map<String, Object> record = change.changeType() == ChangeType.DELETE ? change.before() : change.after();
        String eventType = switch (change.changeType()) {
            case CREATE -> flag(topic, "NotifyForOperationCreate") && query.matches(record) ? "created" : null;
            case UPDATE -> flag(topic, "NotifyForOperationUpdate") && query.matches(record)
                    && relevantFieldsChanged(topic, query, change) ? "updated" : null;
            case DELETE -> flag(topic, "NotifyForOperationDelete") && query.matches(record) ? "deleted" : null;
            case UNDELETE -> flag(topic, "NotifyForOperationUndelete") && query.matches(record) ? "undeleted" : null;
        };
        if (eventType == null) {
            return;
        }
        Map<String, Object> sobject = new LinkedHashMap<>();
        for (String field : query.selectFields()) {
            String canonical = change.type().canonicalField(field).orElse(field);
            sobject.put(canonical, WireFormat.value(record.get(canonical)));
        }
        String createdDate = WireFormat.time(change.committedAt());
        bus.publish(List.of("/topic/" + topic.get("Name")), replayId -> {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("createdDate", createdDate);
            event.put("replayId", replayId);
            event.put("type", eventType);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("event", event);
            data.put("sobject", sobject);
            return data;
        });
    }

    /** Which field changes wake a topic depends on {@code NotifyForFields}; the default is Referenced. */
    private static boolean relevantFieldsChanged(Map<String, Object> topic, SoqlQuery query, RecordChange change) {
        Set<String> changed = new HashSet<>();
        for (String field : change.changedFields()) {
            String lower = field.toLowerCase(Locale.ROOT);
            changed.add(lower);
            if (NAME_PARTS.contains(lower) && change.type().hasCompoundName()) {
                changed.add("name");
            }
        }
        changed.remove("lastmodifieddate");
        String notifyForFields = String.valueOf(topic.getOrDefault("NotifyForFields", "Referenced"));
        List<String> watched = switch (notifyForFields) {
            case "All" -> null;
            case "Select" -> query.selectFields();
            case "Where" -> query.whereFields();
            default -> query.referencedFields();
        };
        if (watched == null) {
            return !changed.isEmpty();
        }
        return watched.stream().anyMatch(field -> changed.contains(field.toLowerCase(Locale.ROOT)));
    }

    private static boolean flag(Map<String, Object> topic, String field) {
        return !Boolean.FALSE.equals(topic.get(field));
    }
}
