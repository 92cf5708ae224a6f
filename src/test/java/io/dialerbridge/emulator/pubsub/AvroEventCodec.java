package io.dialerbridge.emulator.pubsub;

import io.dialerbridge.emulator.streaming.EventSchemas.EventSchema;
import io.dialerbridge.emulator.streaming.StreamingEvent;
import io.dialerbridge.emulator.streaming.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;

/**
 * Writes the bus's events as Pub/Sub payloads (plain Avro binary, no container or single-object header) and reads
 * published ones back. The bus keeps each event as CometD delivers it; this is where the two APIs' shapes differ:
 * a change event lists every field of its schema (unchanged ones null), names what changed and what was cleared in
 * hex bitmaps, and carries dates as epoch milliseconds, as does a platform event's {@code CreatedDate}.
 */
public final class AvroEventCodec {

    private AvroEventCodec() {
    }

    public static byte[] encode(EventSchema schema, StreamingEvent event) {
        Map<?, ?> payload = (Map<?, ?>) event.data().get("payload");
        GenericRecord record = payload.containsKey("ChangeEventHeader")
                ? changeEvent(schema.avro(), payload)
                : platformEvent(schema.avro(), payload);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
        try {
            new GenericDatumWriter<GenericRecord>(schema.avro()).write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Reads a published platform event's custom fields, date-times written as CometD shows them; null fields are
     * left out, {@code CreatedDate} and {@code CreatedById} too (the org sets its own).
     *
     * @throws IllegalArgumentException when the payload is not an Avro record of this schema
     */
    public static Map<String, Object> decodePlatformEvent(EventSchema schema, byte[] payload) {
        GenericRecord record;
        try {
            record = new GenericDatumReader<GenericRecord>(schema.avro())
                    .read(null, DecoderFactory.get().binaryDecoder(payload, null));
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | ClassCastException e) {
            throw new IllegalArgumentException("the payload is not Avro binary of schema " + schema.id(), e);
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        for (Schema.Field field : schema.avro().getFields()) {
            if ("CreatedDate".equals(field.name()) || "CreatedById".equals(field.name())) {
                continue;
            }
            Object value = record.get(field.pos());
            if (value == null) {
                continue;
            }
            String doc = String.valueOf(field.doc());
            if (value instanceof Long millis && (doc.endsWith(":DateTime"))) {
                fields.put(field.name(), WireFormat.time(Instant.ofEpochMilli(millis)));
            } else if (value instanceof Long millis && doc.endsWith(":Date")) {
                fields.put(field.name(), Instant.ofEpochMilli(millis).atZone(ZoneOffset.UTC).toLocalDate().toString());
            } else if (value instanceof CharSequence text) {
                fields.put(field.name(), text.toString());
            } else {
                fields.put(field.name(), value);
            }
        }
        return fields;
    }

    private static GenericRecord platformEvent(Schema schema, Map<?, ?> payload) {
        GenericRecord record = new GenericData.Record(schema);
        for (Schema.Field field : schema.getFields()) {
            record.put(field.pos(), avroValue(field.schema(), payload.get(field.name())));
        }
        return record;
    }

    private static GenericRecord changeEvent(Schema schema, Map<?, ?> payload) {
        Map<?, ?> header = (Map<?, ?>) payload.get("ChangeEventHeader");
        String changeType = String.valueOf(header.get("changeType"));
        boolean update = "UPDATE".equals(changeType);
        Set<Integer> changed = new LinkedHashSet<>();
        Set<Integer> nulled = new LinkedHashSet<>();
        Map<Integer, Set<Integer>> changedParts = new TreeMap<>();
        Map<Integer, Set<Integer>> nulledParts = new TreeMap<>();
        GenericRecord record = new GenericData.Record(schema);
        for (Schema.Field field : schema.getFields()) {
            if (field.pos() == 0) {
                continue;
            }
            Object value = payload.get(field.name());
            Schema type = nonNull(field.schema());
            if (type.getType() == Schema.Type.RECORD) {
                GenericRecord compound = null;
                if (value instanceof Map<?, ?> parts) {
                    compound = new GenericData.Record(type);
                    for (Schema.Field part : type.getFields()) {
                        compound.put(part.pos(), avroValue(part.schema(), parts.get(part.name())));
                        if (update && parts.containsKey(part.name())) {
                            changedParts.computeIfAbsent(field.pos(), key -> new LinkedHashSet<>()).add(part.pos());
                            if (parts.get(part.name()) == null) {
                                nulledParts.computeIfAbsent(field.pos(), key -> new LinkedHashSet<>()).add(part.pos());
                            }
                        }
                    }
                }
                record.put(field.pos(), compound);
            } else {
                record.put(field.pos(), avroValue(field.schema(), value));
                if (update && payload.containsKey(field.name())) {
                    changed.add(field.pos());
                    if (value == null) {
                        nulled.add(field.pos());
                    }
                }
            }
        }
        Schema headerSchema = schema.getFields().get(0).schema();
        GenericRecord headerRecord = new GenericData.Record(headerSchema);
        headerRecord.put("entityName", String.valueOf(header.get("entityName")));
        headerRecord.put("recordIds", new ArrayList<>((List<?>) header.get("recordIds")));
        headerRecord.put("changeType", new GenericData.EnumSymbol(headerSchema.getField("changeType").schema(),
                changeType));
        headerRecord.put("changeOrigin", String.valueOf(header.get("changeOrigin")));
        headerRecord.put("transactionKey", String.valueOf(header.get("transactionKey")));
        headerRecord.put("sequenceNumber", ((Number) header.get("sequenceNumber")).intValue());
        headerRecord.put("commitTimestamp", ((Number) header.get("commitTimestamp")).longValue());
        headerRecord.put("commitNumber", ((Number) header.get("commitNumber")).longValue());
        headerRecord.put("commitUser", String.valueOf(header.get("commitUser")));
        headerRecord.put("nulledFields", ChangeEventBitmaps.encode(nulled, nulledParts));
        headerRecord.put("diffFields", List.of());
        headerRecord.put("changedFields", ChangeEventBitmaps.encode(changed, changedParts));
        record.put(0, headerRecord);
        return record;
    }

    private static Schema nonNull(Schema schema) {
        if (schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        return schema.getTypes().stream().filter(branch -> branch.getType() != Schema.Type.NULL).findFirst()
                .orElse(schema);
    }

    /** A CometD-shaped value in the field's Avro type; what cannot be read as that type is null. */
    private static Object avroValue(Schema fieldSchema, Object value) {
        Schema type = nonNull(fieldSchema);
        if (value == null) {
            return switch (fieldSchema.getType()) {
                case BOOLEAN -> false;
                case LONG -> 0L;
                case STRING -> "";
                default -> null;
            };
        }
        try {
            return switch (type.getType()) {
                case STRING -> String.valueOf(value);
                case BOOLEAN -> value instanceof Boolean flag ? flag : Boolean.parseBoolean(String.valueOf(value));
                case DOUBLE -> value instanceof Number number ? number.doubleValue()
                        : Double.parseDouble(String.valueOf(value));
                case INT -> value instanceof Number number ? number.intValue() : Integer.parseInt(String.valueOf(value));
                case LONG -> epochMillis(value);
                default -> null;
            };
        } catch (NumberFormatException | DateTimeParseException unreadable) {
            return null;
        }
    }

    /** Dates and date-times as CometD writes them ({@code 2026-12-03}, {@code …T10:15:30.000Z}, {@code +0000}). */
    static long epochMillis(Object value) {
        if (value instanceof Instant instant) {
            return instant.toEpochMilli();
        }
        if (value instanceof Number number) {
            return number.longValue();
        }
        String text = String.valueOf(value);
        if (text.length() == 10) {
            return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        }
        return OffsetDateTime.parse(text.replaceFirst("([+-]\\d\\d)(\\d\\d)$", "$1:$2")).toInstant().toEpochMilli();
    }
}
