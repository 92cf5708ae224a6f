package io.dialerbridge.emulator.rest;

import io.dialerbridge.emulator.data.SObjectType;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A record as the REST API writes it: {@code attributes} first, then the asked-for fields in their canonical case,
 * date-times as {@code 2026-11-27T15:04:05.000+0000}.
 */
final class RecordRepresentation {

    /** Three-digit millis and a colon-less offset: the only shape camel's date parser accepts. */
    static final DateTimeFormatter REST_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxx").withZone(ZoneOffset.UTC);

    private RecordRepresentation() {
    }

    /** The record with only the given fields, which must already be canonical field names of the type. */
    static Map<String, Object> of(String version, SObjectType type, Map<String, Object> record,
            List<String> canonicalFields) {
        Map<String, Object> result = new LinkedHashMap<>();
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("type", type.name());
        attributes.put("url", url(version, type, (String) record.get("Id")));
        result.put("attributes", attributes);
        for (String field : canonicalFields) {
            result.put(field, value(record.get(field)));
        }
        return result;
    }

    static String url(String version, SObjectType type, String id) {
        return "/services/data/v" + version + "/sobjects/" + type.name() + "/" + id;
    }

    static Object value(Object stored) {
        return stored instanceof Instant instant ? REST_TIME.format(instant) : stored;
    }
}
