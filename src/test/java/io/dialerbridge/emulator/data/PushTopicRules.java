package io.dialerbridge.emulator.data;

import io.dialerbridge.emulator.soql.PushTopicQueryRules;
import io.dialerbridge.emulator.soql.SoqlException;
import io.dialerbridge.emulator.soql.SoqlQuery;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The checks Salesforce makes when a PushTopic is saved, and how it derives the read-only
 * {@code NotifyForOperations} from the four per-operation flags.
 *
 * <p>Names are compared case-insensitively for uniqueness because camel finds its topic with
 * {@code WHERE Name = '…'}, which SOQL compares case-insensitively: two topics differing only in case would make
 * that lookup ambiguous. Uniqueness is checked against committed topics only, so two creates of one name staged in
 * the same transaction both pass; Salesforce would refuse the second.
 */
public final class PushTopicRules implements RecordStore.RecordValidator {

    public static final int MAX_NAME_LENGTH = 25;
    public static final int MAX_QUERY_LENGTH = 1_300;
    public static final int MAX_DESCRIPTION_LENGTH = 400;
    /** The picklist is restricted; camel's NotifyForFieldsEnum throws on anything else it reads back. */
    private static final Set<String> NOTIFY_FOR_FIELDS = Set.of("All", "Referenced", "Select", "Where");

    private final RecordStore records;

    public PushTopicRules(RecordStore records) {
        this.records = records;
    }

    @Override
    public void validate(SObjectType type, Map<String, Object> record) {
        if (type != SObjectType.PUSH_TOPIC) {
            return;
        }
        String name = (String) record.get("Name");
        FieldLimits.maxLength("Name", name, MAX_NAME_LENGTH);
        requireUniqueName(name, record.get("Id"));
        Object apiVersion = record.get("ApiVersion");
        if (apiVersion instanceof Number version && version.doubleValue() <= 20.0) {
            throw new SalesforceApiException(400, "FIELD_INTEGRITY_EXCEPTION",
                    "ApiVersion: the API version must be greater than 20.0", List.of("ApiVersion"));
        }
        String query = (String) record.get("Query");
        FieldLimits.maxLength("Query", query, MAX_QUERY_LENGTH);
        FieldLimits.maxLength("Description", (String) record.get("Description"), MAX_DESCRIPTION_LENGTH);
        SoqlQuery parsed = parse(query);
        SObjectType entity = SObjectType.byName(parsed.objectName())
                .filter(SObjectType::isChangeDataCaptureEnabled)
                .orElseThrow(() -> new SalesforceApiException(400, "INVALID_TYPE",
                        "sObject type '" + parsed.objectName() + "' is not supported by PushTopic queries in this org.",
                        List.of("Query")));
        for (String field : parsed.referencedFields()) {
            if (entity.canonicalField(field).isEmpty()) {
                throw SalesforceApiException.noSuchColumn(entity, field);
            }
        }
        checkNotifyForFields((String) record.get("NotifyForFields"), parsed);
    }

    /**
     * {@code NotifyForOperations} as API 28.0 and earlier clients see it: those clients only know create and update,
     * so the value describes just those two flags ({@code Extended} when neither is set), whatever delete and undelete
     * say.
     */
    public static String notifyForOperations(Map<String, ?> fields) {
        boolean create = Boolean.TRUE.equals(fields.get("NotifyForOperationCreate"));
        boolean update = Boolean.TRUE.equals(fields.get("NotifyForOperationUpdate"));
        if (create && update) {
            return "All";
        }
        if (create) {
            return "Create";
        }
        return update ? "Update" : "Extended";
    }

    private void requireUniqueName(String name, Object ownId) {
        if (name == null) {
            return;
        }
        records.records(SObjectType.PUSH_TOPIC).stream()
                .filter(topic -> !topic.get("Id").equals(ownId))
                .filter(topic -> name.toLowerCase(Locale.ROOT)
                        .equals(String.valueOf(topic.get("Name")).toLowerCase(Locale.ROOT)))
                .findFirst()
                .ifPresent(topic -> {
                    throw FieldLimits.duplicate("Name", topic.get("Id"));
                });
    }

    private static SoqlQuery parse(String query) {
        try {
            return PushTopicQueryRules.validate(query);
        } catch (SoqlException refused) {
            throw new SalesforceApiException(400, refused.errorCode(), refused.getMessage(), List.of("Query"));
        }
    }

    /** Each NotifyForFields value watches some non-Id field, so a query giving it none can never notify an update. */
    private static void checkNotifyForFields(String notifyForFields, SoqlQuery query) {
        if (notifyForFields == null || !NOTIFY_FOR_FIELDS.contains(notifyForFields)) {
            throw new SalesforceApiException(400, "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                    "Notify For Fields: bad value for restricted picklist field: " + notifyForFields,
                    List.of("NotifyForFields"));
        }
        List<String> watched = switch (notifyForFields) {
            case "Select" -> query.selectFields();
            case "Where" -> query.whereFields();
            case "Referenced" -> query.referencedFields();
            default -> List.of("All");
        };
        if (watched.stream().allMatch("Id"::equalsIgnoreCase)) {
            throw new SalesforceApiException(400, "INVALID_FIELD",
                    "NotifyForFields " + notifyForFields + " needs the query to reference a field other than Id"
                            + ("Where".equals(notifyForFields) ? " in its WHERE clause" : ""),
                    List.of("NotifyForFields"));
        }
    }
}
