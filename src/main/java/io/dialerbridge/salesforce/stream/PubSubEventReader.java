package io.dialerbridge.salesforce.stream;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;

/**
 * Reads a Pub/Sub event (plain Avro binary of its topic's schema) into the {@code data} object the CometD API delivers
 * for the same event, so the same mappers, DNC guard and dead letters apply whichever API carried it.
 *
 * <p>A change event's {@code changedFields}, {@code nulledFields} and {@code diffFields} arrive as hex bitmaps over the
 * schema's field order ({@code ChangeEventHeader} is field 0; {@code "<i>-0x…"} covers the parts of compound field
 * <i>i</i>); they become the field names CometD lists ({@code LastModifiedDate}, {@code Name.LastName}). An UPDATE's
 * body keeps only the fields the bitmaps name, as on CometD; a CREATE's or UNDELETE's leaves out its null fields.
 * Dates stay epoch milliseconds where the schema does not say what they are; a {@code …:DateTime} or {@code …:Date}
 * doc (platform events' {@code CreatedDate}) turns them into the text CometD sends.
 */
public final class PubSubEventReader {

    private static final DateTimeFormatter STREAMING_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private PubSubEventReader() {
    }

    /**
     * The CometD {@code data} of an event: {@code {"schema": …, "payload": {…}, "event": {"replayId": …}}}.
     *
     * @throws IllegalArgumentException when the payload is not Avro binary of the schema
     */
    public static Map<String, Object> data(Schema schema, String schemaId, byte[] payload, Long replayId,
            String eventUuid) {
        GenericRecord record;
        try {
            record = new GenericDatumReader<GenericRecord>(schema)
                    .read(null, DecoderFactory.get().binaryDecoder(payload, null));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("the payload is not Avro binary of schema " + schemaId, e);
        }
        Map<String, Object> event = new LinkedHashMap<>();
        if (replayId != null) {
            event.put("replayId", replayId);
        }
        if (eventUuid != null && !eventUuid.isEmpty()) {
            event.put("EventUuid", eventUuid);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("schema", schemaId);
        data.put("payload", schema.getField("ChangeEventHeader") != null ? changeEvent(record)
                : platformEvent(record));
        data.put("event", event);
        return data;
    }

    private static Map<String, Object> platformEvent(GenericRecord record) {
        Map<String, Object> payload = new LinkedHashMap<>();
        for (Schema.Field field : record.getSchema().getFields()) {
            payload.put(field.name(), value(field, record.get(field.pos())));
        }
        return payload;
    }

    private static Map<String, Object> changeEvent(GenericRecord record) {
        Schema schema = record.getSchema();
        GenericRecord headerRecord = (GenericRecord) record.get("ChangeEventHeader");
        Map<String, Object> header = new LinkedHashMap<>();
        for (Schema.Field field : headerRecord.getSchema().getFields()) {
            header.put(field.name(), plain(headerRecord.get(field.pos())));
        }
        List<String> changed = fieldNames(schema, strings(header.get("changedFields")));
        List<String> nulled = fieldNames(schema, strings(header.get("nulledFields")));
        header.put("changedFields", changed);
        header.put("nulledFields", nulled);
        header.put("diffFields", fieldNames(schema, strings(header.get("diffFields"))));
        boolean update = "UPDATE".equals(header.get("changeType"));
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("ChangeEventHeader", header);
        for (Schema.Field field : schema.getFields()) {
            if (field.pos() == 0) {
                continue;
            }
            Object value = record.get(field.pos());
            if (value instanceof GenericRecord compound) {
                Map<String, Object> parts = new LinkedHashMap<>();
                for (Schema.Field part : compound.getSchema().getFields()) {
                    String path = field.name() + "." + part.name();
                    Object partValue = value(part, compound.get(part.pos()));
                    if (update ? changed.contains(path) || nulled.contains(path) : partValue != null) {
                        parts.put(part.name(), partValue);
                    }
                }
                if (!parts.isEmpty()) {
                    payload.put(field.name(), parts);
                }
            } else if (update ? changed.contains(field.name()) || nulled.contains(field.name()) : value != null) {
                payload.put(field.name(), value(field, value));
            }
        }
        return payload;
    }

    /**
     * The field names a bitmap list stands for: {@code ["0x400000", "4-0x01"]} over Salesforce's Account example →
     * {@code [BillingAddress.Street, LastModifiedDate]}, parts of a compound listed in place of the compound.
     */
    public static List<String> fieldNames(Schema schema, List<String> bitmaps) {
        List<String> names = new ArrayList<>();
        if (bitmaps == null || bitmaps.isEmpty()) {
            return names;
        }
        List<Schema.Field> fields = schema.getFields();
        Map<Integer, BigInteger> parts = new LinkedHashMap<>();
        BigInteger top = BigInteger.ZERO;
        for (String bitmap : bitmaps) {
            int dash = bitmap.indexOf('-');
            if (dash > 0) {
                parts.put(Integer.parseInt(bitmap.substring(0, dash)), hex(bitmap.substring(dash + 1)));
            } else {
                top = hex(bitmap);
            }
        }
        for (int i = 0; i < fields.size(); i++) {
            Schema.Field field = fields.get(i);
            if (top.testBit(i)) {
                names.add(field.name());
            }
            BigInteger partBits = parts.get(i);
            Schema compound = nonNull(field.schema());
            if (partBits != null && compound.getType() == Schema.Type.RECORD) {
                for (Schema.Field part : compound.getFields()) {
                    if (partBits.testBit(part.pos())) {
                        names.add(field.name() + "." + part.name());
                    }
                }
            }
        }
        return names;
    }

    private static BigInteger hex(String bitmap) {
        String digits = bitmap.startsWith("0x") || bitmap.startsWith("0X") ? bitmap.substring(2) : bitmap;
        return digits.isEmpty() ? BigInteger.ZERO : new BigInteger(digits, 16);
    }

    private static Schema nonNull(Schema schema) {
        if (schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        return schema.getTypes().stream().filter(type -> type.getType() != Schema.Type.NULL).findFirst()
                .orElse(schema);
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object value) {
        return value instanceof List<?> list ? (List<String>) list : List.of();
    }

    /** A field's value as CometD writes it: dates and date-times as text when the schema's doc says which. */
    private static Object value(Schema.Field field, Object value) {
        Object plain = plain(value);
        String doc = field.doc() == null ? "" : field.doc();
        if (plain instanceof Long millis && doc.endsWith(":DateTime")) {
            return STREAMING_TIME.format(Instant.ofEpochMilli(millis));
        }
        if (plain instanceof Long millis && doc.endsWith(":Date")) {
            return Instant.ofEpochMilli(millis).atZone(ZoneOffset.UTC).toLocalDate().toString();
        }
        return plain;
    }

    /** Avro's runtime values as JSON-like Java values: Utf8 and enum symbols as strings, arrays as lists. */
    private static Object plain(Object value) {
        if (value instanceof CharSequence || value instanceof org.apache.avro.generic.GenericEnumSymbol<?>) {
            return value.toString();
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(item -> copy.add(plain(item)));
            return copy;
        }
        if (value instanceof GenericRecord nested) {
            Map<String, Object> map = new LinkedHashMap<>();
            nested.getSchema().getFields().forEach(f -> map.put(f.name(), plain(nested.get(f.pos()))));
            return map;
        }
        if (value instanceof java.nio.ByteBuffer bytes) {
            byte[] copy = new byte[bytes.remaining()];
            bytes.duplicate().get(copy);
            return copy;
        }
        return value;
    }
}
