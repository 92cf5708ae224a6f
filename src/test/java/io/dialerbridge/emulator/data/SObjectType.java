package io.dialerbridge.emulator.data;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One standard object the emulated org knows: its key prefix, its fields and the rules a write must follow.
 */
public final class SObjectType {

    /** Fields Salesforce maintains itself; clients may read but never write them. */
    public static final Set<String> SYSTEM_FIELDS = Set.of("Id", "CreatedDate", "CreatedById", "LastModifiedDate",
            "LastModifiedById", "SystemModstamp", "IsDeleted");

    private final String name;
    private final String keyPrefix;
    private final Map<String, FieldType> fields;
    private final Map<String, String> lowerCaseToCanonical = new LinkedHashMap<>();
    private final List<String> requiredFields;
    private final Map<String, Object> defaults;
    private final boolean changeDataCapture;

    private SObjectType(String name, String keyPrefix, Map<String, FieldType> ownFields, List<String> requiredFields,
            Map<String, Object> defaults, boolean changeDataCapture) {
        this.name = name;
        this.keyPrefix = keyPrefix;
        Map<String, FieldType> all = new LinkedHashMap<>();
        all.put("Id", FieldType.ID);
        all.putAll(ownFields);
        all.put("CreatedDate", FieldType.DATETIME);
        all.put("CreatedById", FieldType.REFERENCE);
        all.put("LastModifiedDate", FieldType.DATETIME);
        all.put("LastModifiedById", FieldType.REFERENCE);
        all.put("SystemModstamp", FieldType.DATETIME);
        all.put("IsDeleted", FieldType.BOOLEAN);
        this.fields = Collections.unmodifiableMap(all);
        all.keySet().forEach(field -> lowerCaseToCanonical.put(field.toLowerCase(Locale.ROOT), field));
        this.requiredFields = List.copyOf(requiredFields);
        this.defaults = Collections.unmodifiableMap(new LinkedHashMap<>(defaults));
        this.changeDataCapture = changeDataCapture;
    }

    public static final SObjectType LEAD = new SObjectType("Lead", "00Q", personFields(Map.of(
            "Company", FieldType.STRING, "Status", FieldType.PICKLIST, "LeadSource", FieldType.PICKLIST,
            "IsConverted", FieldType.BOOLEAN, "ConvertedContactId", FieldType.REFERENCE,
            "ConvertedDate", FieldType.DATE)),
            List.of("LastName", "Company"),
            Map.of("Status", "Open - Not Contacted", "DoNotCall", false, "IsConverted", false,
                    "HasOptedOutOfEmail", false),
            true);

    public static final SObjectType CONTACT = new SObjectType("Contact", "003", personFields(Map.of(
            "AccountId", FieldType.REFERENCE, "HomePhone", FieldType.PHONE, "OtherPhone", FieldType.PHONE,
            "LeadSource", FieldType.PICKLIST)),
            List.of("LastName"),
            Map.of("DoNotCall", false, "HasOptedOutOfEmail", false),
            true);

    public static final SObjectType CAMPAIGN = new SObjectType("Campaign", "701", ordered(
            "Name", FieldType.STRING, "Type", FieldType.PICKLIST, "Status", FieldType.PICKLIST,
            "IsActive", FieldType.BOOLEAN, "StartDate", FieldType.DATE, "EndDate", FieldType.DATE,
            "Description", FieldType.TEXTAREA, "ParentId", FieldType.REFERENCE, "OwnerId", FieldType.REFERENCE),
            List.of("Name"),
            Map.of("IsActive", false, "Status", "Planned"),
            true);

    public static final SObjectType CAMPAIGN_MEMBER = new SObjectType("CampaignMember", "00v", ordered(
            "CampaignId", FieldType.REFERENCE, "LeadId", FieldType.REFERENCE, "ContactId", FieldType.REFERENCE,
            "Status", FieldType.PICKLIST, "HasResponded", FieldType.BOOLEAN),
            List.of("CampaignId"),
            Map.of("Status", "Sent", "HasResponded", false),
            true);

    public static final SObjectType PUSH_TOPIC = new SObjectType("PushTopic", "0IF", ordered(
            "Name", FieldType.STRING, "Query", FieldType.TEXTAREA, "ApiVersion", FieldType.DOUBLE,
            "IsActive", FieldType.BOOLEAN, "NotifyForFields", FieldType.PICKLIST,
            "NotifyForOperations", FieldType.PICKLIST, "NotifyForOperationCreate", FieldType.BOOLEAN,
            "NotifyForOperationUpdate", FieldType.BOOLEAN, "NotifyForOperationDelete", FieldType.BOOLEAN,
            "NotifyForOperationUndelete", FieldType.BOOLEAN, "Description", FieldType.STRING),
            List.of("Name", "Query", "ApiVersion"),
            Map.of("IsActive", true, "NotifyForFields", "Referenced", "NotifyForOperationCreate", true,
                    "NotifyForOperationUpdate", true, "NotifyForOperationDelete", true,
                    "NotifyForOperationUndelete", true),
            false);

    public static final SObjectType STREAMING_CHANNEL = new SObjectType("StreamingChannel", "0M6", ordered(
            "Name", FieldType.STRING, "Description", FieldType.STRING, "IsDynamic", FieldType.BOOLEAN,
            "OwnerId", FieldType.REFERENCE),
            List.of("Name"),
            Map.of("IsDynamic", false),
            false);

    public static final List<SObjectType> ALL = List.of(LEAD, CONTACT, CAMPAIGN, CAMPAIGN_MEMBER, PUSH_TOPIC,
            STREAMING_CHANNEL);

    public static Optional<SObjectType> byName(String name) {
        return ALL.stream().filter(type -> type.name.equalsIgnoreCase(name)).findFirst();
    }

    public static Optional<SObjectType> byKeyPrefix(String prefix) {
        return ALL.stream().filter(type -> type.keyPrefix.equals(prefix)).findFirst();
    }

    private static Map<String, FieldType> personFields(Map<String, FieldType> specific) {
        Map<String, FieldType> fields = ordered(
                "Salutation", FieldType.PICKLIST, "FirstName", FieldType.STRING, "LastName", FieldType.STRING,
                "Name", FieldType.COMPOUND_NAME, "Title", FieldType.STRING, "Email", FieldType.EMAIL,
                "Phone", FieldType.PHONE, "MobilePhone", FieldType.PHONE, "DoNotCall", FieldType.BOOLEAN,
                "HasOptedOutOfEmail", FieldType.BOOLEAN, "Description", FieldType.TEXTAREA,
                "OwnerId", FieldType.REFERENCE);
        specific.keySet().stream().sorted().forEach(field -> fields.put(field, specific.get(field)));
        return fields;
    }

    private static Map<String, FieldType> ordered(Object... namesAndTypes) {
        Map<String, FieldType> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndTypes.length; i += 2) {
            fields.put((String) namesAndTypes[i], (FieldType) namesAndTypes[i + 1]);
        }
        return fields;
    }

    public String name() {
        return name;
    }

    public String keyPrefix() {
        return keyPrefix;
    }

    public Map<String, FieldType> fields() {
        return fields;
    }

    /** The field's API name in Salesforce's own case, since field names are case-insensitive on the wire. */
    public Optional<String> canonicalField(String field) {
        return Optional.ofNullable(lowerCaseToCanonical.get(field.toLowerCase(Locale.ROOT)));
    }

    public List<String> requiredFields() {
        return requiredFields;
    }

    public Map<String, Object> defaults() {
        return defaults;
    }

    public boolean hasCompoundName() {
        return fields.get("Name") == FieldType.COMPOUND_NAME;
    }

    public boolean isChangeDataCaptureEnabled() {
        return changeDataCapture;
    }

    public String changeEventChannel() {
        return "/data/" + name + "ChangeEvent";
    }

    @Override
    public String toString() {
        return name;
    }
}
