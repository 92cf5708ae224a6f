package io.dialerbridge.emulator.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.dialerbridge.emulator.EmulatorSettings;
import io.dialerbridge.emulator.data.RecordStore;
import io.dialerbridge.emulator.data.SObjectType;
import io.dialerbridge.emulator.data.SalesforceApiException;
import io.dialerbridge.emulator.streaming.PlatformEventPublisher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The REST API under {@code /services/data}: the versions list, sObject create / read / update / delete, and
 * platform event publishing through {@code sobjects/<Name>__e}.
 */
public class RestServlet extends HttpServlet {

    public static final String PATH_SPEC = "/services/data/*";
    /** API versions this org answers; camel-salesforce 4.17 defaults to 56.0. */
    public static final List<String> VERSIONS = List.of("37.0", "45.0", "50.0", "56.0", "58.0", "60.0", "62.0");

    private static final Pattern VERSIONED = Pattern.compile("^/v(\\d+\\.\\d)(/.*)?$");
    private static final Pattern SOBJECT = Pattern.compile("^/sobjects/([A-Za-z0-9_]+)/?$");
    private static final Pattern SOBJECT_ID = Pattern.compile("^/sobjects/([A-Za-z0-9_]+)/([A-Za-z0-9]+)/?$");
    private static final DateTimeFormatter REST_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxx").withZone(ZoneOffset.UTC);

    protected final EmulatorSettings settings;
    protected final RecordStore records;
    protected final PlatformEventPublisher platformEvents;

    public RestServlet(EmulatorSettings settings, RecordStore records, PlatformEventPublisher platformEvents) {
        this.settings = settings;
        this.records = records;
        this.platformEvents = platformEvents;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "/" : request.getPathInfo();
        try {
            if (path.equals("/")) {
                versions(request, response);
                return;
            }
            Matcher versioned = VERSIONED.matcher(path);
            if (!versioned.matches() || !VERSIONS.contains(versioned.group(1))) {
                throw SalesforceApiException.notFound();
            }
            String version = versioned.group(1);
            String resource = versioned.group(2) == null ? "/" : versioned.group(2);
            handle(request, response, version, resource);
        } catch (SalesforceApiException failure) {
            JsonResponses.error(response, failure);
        } catch (JsonProcessingException malformed) {
            JsonResponses.error(response, 400, "JSON_PARSER_ERROR", malformed.getOriginalMessage(), List.of());
        }
    }

    /** Dispatches one versioned resource; subclasses add resources and fall back to this. */
    protected void handle(HttpServletRequest request, HttpServletResponse response, String version, String resource)
            throws IOException {
        String method = request.getMethod();
        Matcher typeOnly = SOBJECT.matcher(resource);
        Matcher typeAndId = SOBJECT_ID.matcher(resource);
        if (typeOnly.matches() && method.equals("POST")) {
            create(request, response, version, typeOnly.group(1));
        } else if (typeAndId.matches()) {
            SObjectType type = sobjectType(typeAndId.group(1));
            String id = typeAndId.group(2);
            switch (method) {
                case "GET" -> JsonResponses.write(response, 200, present(version, type, records.find(checkedId(type, id))
                        .filter(record -> records.typeOf((String) record.get("Id")).orElse(null) == type)
                        .orElseThrow(SalesforceApiException::notFound), fieldsParameter(request)));
                case "PATCH" -> {
                    RecordStore.Transaction transaction = records.begin(settings.userId(), origin(version));
                    transaction.update(type, checkedId(type, id), body(request));
                    transaction.commit();
                    response.setStatus(204);
                }
                case "DELETE" -> {
                    RecordStore.Transaction transaction = records.begin(settings.userId(), origin(version));
                    transaction.delete(type, checkedId(type, id));
                    transaction.commit();
                    response.setStatus(204);
                }
                default -> methodNotAllowed(method);
            }
        } else {
            throw SalesforceApiException.notFound();
        }
    }

    private void create(HttpServletRequest request, HttpServletResponse response, String version, String typeName)
            throws IOException {
        Map<String, Object> body = body(request);
        if (typeName.endsWith("__e")) {
            PlatformEventPublisher.Published published = platformEvents.publish(typeName, body, settings.userId());
            JsonResponses.write(response, 201, Map.of("id", platformEventRecordId(), "success", true,
                    "errors", List.of(Map.of("statusCode", "OPERATION_ENQUEUED", "message", published.eventUuid(),
                            "fields", List.of()))));
            return;
        }
        SObjectType type = sobjectType(typeName);
        RecordStore.Transaction transaction = records.begin(settings.userId(), origin(version));
        String id = transaction.create(type, body);
        transaction.commit();
        JsonResponses.write(response, 201, Map.of("id", id, "success", true, "errors", List.of()));
    }

    private static long publishSequence;

    /** Platform event publishes return a throw-away {@code e01} id; uniqueness is not promised. */
    private static synchronized String platformEventRecordId() {
        String digits = String.format("%010d", ++publishSequence % 10_000_000_000L);
        return io.dialerbridge.salesforce.SalesforceId.to18("e01xx" + digits);
    }

    protected static SObjectType sobjectType(String name) {
        return SObjectType.byName(name).orElseThrow(() -> new SalesforceApiException(404, "NOT_FOUND",
                "The requested resource does not exist"));
    }

    protected static String checkedId(SObjectType type, String id) {
        if (!io.dialerbridge.salesforce.SalesforceId.isValid(id) || !id.startsWith(type.keyPrefix())) {
            throw SalesforceApiException.malformedId(type.name(), id);
        }
        return io.dialerbridge.salesforce.SalesforceId.to18(id);
    }

    protected static List<String> fieldsParameter(HttpServletRequest request) {
        String fields = request.getParameter("fields");
        if (fields == null || fields.isBlank()) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (String field : fields.split(",")) {
            names.add(field.trim());
        }
        return names;
    }

    /** A record as REST returns it: {@code attributes} first, date-times as {@code 2026-11-27T15:04:05.000+0000}. */
    protected static Map<String, Object> present(String version, SObjectType type, Map<String, Object> record,
            List<String> onlyFields) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("attributes", Map.of("type", type.name(),
                "url", "/services/data/v" + version + "/sobjects/" + type.name() + "/" + record.get("Id")));
        List<String> fields = onlyFields.isEmpty() ? List.copyOf(type.fields().keySet()) : onlyFields;
        for (String field : fields) {
            String canonical = type.canonicalField(field).orElseThrow(() -> SalesforceApiException.invalidField(
                    "No such column '" + field + "' on entity '" + type.name() + "'. If you are attempting to use a"
                            + " custom field, be sure to append the '__c' after the custom field name.", field));
            Object value = record.get(canonical);
            result.put(canonical, value instanceof Instant instant ? REST_TIME.format(instant) : value);
        }
        return result;
    }

    protected static Map<String, Object> body(HttpServletRequest request) throws IOException {
        Map<String, Object> body = JsonResponses.JSON.readValue(request.getInputStream(),
                new TypeReference<LinkedHashMap<String, Object>>() { });
        if (body == null) {
            throw new SalesforceApiException(400, "JSON_PARSER_ERROR", "The request body is empty");
        }
        return body;
    }

    /** Salesforce's {@code changeOrigin} for a REST change made by this org's integration client. */
    protected String origin(String version) {
        return "com/salesforce/api/rest/" + version + ";client=" + settings.clientId();
    }

    protected static void methodNotAllowed(String method) {
        throw new SalesforceApiException(405, "METHOD_NOT_ALLOWED",
                "HTTP Method '" + method + "' not allowed. Allowed are GET,PATCH,DELETE");
    }

    private void versions(HttpServletRequest request, HttpServletResponse response) throws IOException {
        List<Map<String, String>> versions = new ArrayList<>();
        for (String version : VERSIONS) {
            versions.add(Map.of("label", "Emulated " + version, "url", "/services/data/v" + version,
                    "version", version));
        }
        JsonResponses.write(response, 200, versions);
    }
}
