package io.dialerbridge.emulator.streaming;

import io.dialerbridge.emulator.data.FieldType;
import io.dialerbridge.emulator.data.SObjectType;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * The Avro schemas of the org's events, which Pub/Sub serves and whose ids CometD events name in {@code schema}: one
 * record per change event entity ({@code ChangeEventHeader} first, then the object's fields as nullable unions, the person name as the compound
 * {@code Switchable_PersonName}) and one per platform event ({@code CreatedDate} a long, {@code CreatedById}, then
 * the custom fields). A schema id is, as Salesforce derives it, the MD5 fingerprint of the schema's parsing
 * canonical form in unpadded base64url: 22 characters.
 */
public final class EventSchemas {

    public static final String NAMESPACE = "com.sforce.eventbus";
    /** What CDC events may say in {@code changeType}. */
    public static final List<String> CHANGE_TYPES = List.of("CREATE", "UPDATE", "DELETE", "UNDELETE", "GAP_CREATE",
            "GAP_UPDATE", "GAP_DELETE", "GAP_UNDELETE", "GAP_OVERFLOW");
    /** The parts of the compound person name, in the order of Salesforce's {@code Switchable_PersonName}. */
    public static final List<String> NAME_PARTS = List.of("Salutation", "FirstName", "LastName");

    private static final Set<String> NEVER_IN_CHANGE_EVENTS = Set.of("Id", "IsDeleted", "SystemModstamp");
    private static final Map<String, EventSchema> CACHE = new ConcurrentHashMap<>();

    /** One schema with the id clients ask for it by. */
    public record EventSchema(Schema avro, String id) {

        public String json() {
            return avro.toString();
        }

        /** The index of a top-level field, as CDC bitmaps count them ({@code ChangeEventHeader} is 0). */
        public int indexOf(String field) {
            Schema.Field found = avro.getField(field);
            return found == null ? -1 : found.pos();
        }
    }

    private EventSchemas() {
    }

    public static EventSchema changeEvent(SObjectType type) {
        return CACHE.computeIfAbsent("cdc:" + type.name(), key -> withId(changeEventSchema(type)));
    }

    /**
     * @param fields the event's custom fields and their Salesforce types (Text, Number, Checkbox, Date, DateTime,
     *     LongTextArea …), in definition order
     */
    public static EventSchema platformEvent(String name, Map<String, String> fields) {
        return CACHE.computeIfAbsent("pe:" + name + fields, key -> withId(platformEventSchema(name, fields)));
    }

    /** Salesforce's schema id: MD5 of the parsing canonical form, base64url without padding. */
    public static String schemaId(Schema schema) {
        try {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(SchemaNormalization.parsingFingerprint("MD5", schema));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static EventSchema withId(Schema schema) {
        return new EventSchema(schema, schemaId(schema));
    }

    private static Schema changeEventSchema(SObjectType type) {
        List<Schema.Field> fields = new ArrayList<>();
        fields.add(new Schema.Field("ChangeEventHeader", changeEventHeader(), "Data:ChangeEventHeader"));
        for (Map.Entry<String, FieldType> field : type.fields().entrySet()) {
            String name = field.getKey();
            if (NEVER_IN_CHANGE_EVENTS.contains(name) || (type.hasCompoundName() && NAME_PARTS.contains(name))) {
                continue;
            }
            boolean compound = field.getValue() == FieldType.COMPOUND_NAME;
            Schema value = compound ? personName() : scalar(field.getValue());
            fields.add(nullable(name, value, compound ? "Data:Switchable_PersonName" : "Data:" + name));
        }
        Schema schema = Schema.createRecord(type.name() + "ChangeEvent", "66.0", NAMESPACE, false);
        schema.setFields(fields);
        return schema;
    }

    private static Schema platformEventSchema(String name, Map<String, String> customFields) {
        List<Schema.Field> fields = new ArrayList<>();
        fields.add(new Schema.Field("CreatedDate", Schema.create(Schema.Type.LONG), "CreatedDate:DateTime"));
        fields.add(new Schema.Field("CreatedById", Schema.create(Schema.Type.STRING), "CreatedBy:EntityId"));
        for (Map.Entry<String, String> field : customFields.entrySet()) {
            String salesforceType = field.getValue();
            if ("Checkbox".equalsIgnoreCase(salesforceType)) {
                fields.add(new Schema.Field(field.getKey(), Schema.create(Schema.Type.BOOLEAN),
                        "Data:Checkbox", false));
            } else {
                fields.add(nullable(field.getKey(), platformEventScalar(salesforceType), "Data:" + salesforceType));
            }
        }
        Schema schema = Schema.createRecord(name, "66.0", NAMESPACE, false);
        schema.setFields(fields);
        return schema;
    }

    /** A fresh copy each time: Avro lets a named schema belong to one enclosing schema's field only once. */
    private static Schema changeEventHeader() {
        Schema stringArray = Schema.createArray(Schema.create(Schema.Type.STRING));
        Schema header = Schema.createRecord("ChangeEventHeader", null, NAMESPACE, false);
        header.setFields(List.of(
                new Schema.Field("entityName", Schema.create(Schema.Type.STRING)),
                new Schema.Field("recordIds", stringArray),
                new Schema.Field("changeType", Schema.createEnum("ChangeType", null, NAMESPACE, CHANGE_TYPES)),
                new Schema.Field("changeOrigin", Schema.create(Schema.Type.STRING)),
                new Schema.Field("transactionKey", Schema.create(Schema.Type.STRING)),
                new Schema.Field("sequenceNumber", Schema.create(Schema.Type.INT)),
                new Schema.Field("commitTimestamp", Schema.create(Schema.Type.LONG)),
                new Schema.Field("commitNumber", Schema.create(Schema.Type.LONG)),
                new Schema.Field("commitUser", Schema.create(Schema.Type.STRING)),
                new Schema.Field("nulledFields", stringArray),
                new Schema.Field("diffFields", stringArray),
                new Schema.Field("changedFields", stringArray)));
        return header;
    }

    private static Schema personName() {
        Schema name = Schema.createRecord("Switchable_PersonName", null, NAMESPACE, false);
        List<Schema.Field> parts = new ArrayList<>();
        for (String part : NAME_PARTS) {
            parts.add(nullable(part, Schema.create(Schema.Type.STRING), null));
        }
        name.setFields(parts);
        return name;
    }

    private static Schema.Field nullable(String name, Schema value, String doc) {
        return new Schema.Field(name, Schema.createUnion(Schema.create(Schema.Type.NULL), value), doc,
                JsonProperties.NULL_VALUE);
    }

    /** Dates and date-times are epoch milliseconds in Pub/Sub events. */
    private static Schema scalar(FieldType type) {
        return switch (type) {
            case BOOLEAN -> Schema.create(Schema.Type.BOOLEAN);
            case DOUBLE -> Schema.create(Schema.Type.DOUBLE);
            case INTEGER -> Schema.create(Schema.Type.INT);
            case DATE, DATETIME -> Schema.create(Schema.Type.LONG);
            default -> Schema.create(Schema.Type.STRING);
        };
    }

    private static Schema platformEventScalar(String salesforceType) {
        return switch (salesforceType.toLowerCase(java.util.Locale.ROOT)) {
            case "number", "currency", "percent" -> Schema.create(Schema.Type.DOUBLE);
            case "date", "datetime" -> Schema.create(Schema.Type.LONG);
            default -> Schema.create(Schema.Type.STRING);
        };
    }
}
