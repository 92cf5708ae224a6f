package io.dialerbridge.emulator.rest;

import io.dialerbridge.emulator.EmulatorSettings;
import io.dialerbridge.emulator.data.CaseSafeId;
import io.dialerbridge.emulator.data.RecordStore;
import io.dialerbridge.emulator.data.SObjectType;
import io.dialerbridge.emulator.data.SalesforceApiException;
import io.dialerbridge.emulator.streaming.PlatformEventPublisher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code sobjects/<Type>} and {@code sobjects/<Type>/<id>}: create, read, update and delete one record, and publish
 * one platform event by "creating" a {@code <Name>__e}.
 */
final class SObjectResource {

    private final EmulatorSettings settings;
    private final RecordStore records;
    private final PlatformEventPublisher platformEvents;

    SObjectResource(EmulatorSettings settings, RecordStore records, PlatformEventPublisher platformEvents) {
        this.settings = settings;
        this.records = records;
        this.platformEvents = platformEvents;
    }

    /** {@code sobjects/<Type>}. */
    void typeResource(HttpServletRequest request, HttpServletResponse response, String version, String typeName)
            throws IOException {
        switch (request.getMethod()) {
            case "POST" -> create(request, response, version, typeName);
            // Salesforce answers GET with the object's basic info, which nothing here needs: absent, not refused
            case "GET", "HEAD" -> throw SalesforceApiException.notFound();
            default -> throw RestServlet.methodNotAllowed(request, "HEAD,GET,POST");
        }
    }

    /** {@code sobjects/<Type>/<id>}. */
    void recordResource(HttpServletRequest request, HttpServletResponse response, String version, String typeName,
            String rawId) throws IOException {
        SObjectType type = sobjectType(typeName);
        switch (request.getMethod()) {
            case "GET", "HEAD" -> {
                Map<String, Object> record = records.find(checkedId(type, rawId))
                        .filter(found -> records.typeOf((String) found.get("Id")).orElse(null) == type)
                        .orElseThrow(SalesforceApiException::notFound);
                JsonResponses.write(response, 200,
                        RecordRepresentation.of(version, type, record, requestedFields(request, type)));
            }
            case "PATCH" -> {
                RecordStore.Transaction transaction = RestServlet.begin(records, settings, version);
                transaction.update(type, checkedId(type, rawId), JsonRequests.object(request));
                transaction.commit();
                response.setStatus(204);
            }
            case "DELETE" -> {
                RecordStore.Transaction transaction = RestServlet.begin(records, settings, version);
                transaction.delete(type, checkedId(type, rawId));
                transaction.commit();
                response.setStatus(204);
            }
            default -> throw RestServlet.methodNotAllowed(request, "HEAD,GET,PATCH,DELETE");
        }
    }

    private void create(HttpServletRequest request, HttpServletResponse response, String version, String typeName)
            throws IOException {
        Map<String, Object> body = JsonRequests.object(request);
        if (typeName.endsWith("__e")) {
            PlatformEventPublisher.Published published = platformEvents.publish(typeName, body, settings.userId());
            JsonResponses.write(response, 201, SaveResults.enqueued(published.eventUuid()));
            return;
        }
        SObjectType type = sobjectType(typeName);
        RecordStore.Transaction transaction = RestServlet.begin(records, settings, version);
        String id = transaction.create(type, body);
        transaction.commit();
        JsonResponses.write(response, 201, SaveResults.success(id));
    }

    static SObjectType sobjectType(String name) {
        return SObjectType.byName(name).orElseThrow(SalesforceApiException::notFound);
    }

    /** The 18-character form of an id that must be of the given type. */
    static String checkedId(SObjectType type, String id) {
        if (!CaseSafeId.isValid(id) || !id.startsWith(type.keyPrefix())) {
            throw SalesforceApiException.malformedId(type.name(), id);
        }
        return CaseSafeId.of(id);
    }

    /** The {@code fields} parameter in canonical case, or every field of the type when it is absent. */
    private static List<String> requestedFields(HttpServletRequest request, SObjectType type) {
        String fields = request.getParameter("fields");
        if (fields == null || fields.isBlank()) {
            return List.copyOf(type.fields().keySet());
        }
        List<String> names = new ArrayList<>();
        for (String field : fields.split(",")) {
            String name = field.trim();
            names.add(type.canonicalField(name)
                    .orElseThrow(() -> SalesforceApiException.noSuchColumn(type, name)));
        }
        return names;
    }
}
