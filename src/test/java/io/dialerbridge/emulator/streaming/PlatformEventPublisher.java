package io.dialerbridge.emulator.streaming;

import io.dialerbridge.emulator.EmulatorSettings;
import io.dialerbridge.emulator.data.SalesforceApiException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Publishes platform events of the defined types to {@code /event/<Name>__e}, as a REST or composite publish does. */
public final class PlatformEventPublisher {

    /** What a successful publish reports: the throw-away record id and the event's UUID. */
    public record Published(String eventUuid, long replayId) {
    }

    /** A refusal armed by a test: events whose field has this value fail with this error code. */
    private record Refusal(String field, Object value, String errorCode) {
    }

    private final EmulatorSettings settings;
    private final EventBus bus;
    private volatile Refusal refusal;

    public PlatformEventPublisher(EmulatorSettings settings, EventBus bus) {
        this.settings = settings;
        this.bus = bus;
    }

    /**
     * Test fault: until {@link #refuseNone}, each event whose {@code field} holds {@code value} is refused on its
     * own, with {@code errorCode} in its save result, while the other events of the same call publish: a Salesforce
     * event bus that cannot take some events for now answers so ({@code PLATFORM_EVENT_PUBLISH_FAILED}).
     */
    public void refuseEventsWhere(String field, Object value, String errorCode) {
        refusal = new Refusal(field, value, errorCode);
    }

    public void refuseNone() {
        refusal = null;
    }

    public boolean isDefined(String eventName) {
        return definition(eventName).isPresent();
    }

    /** The event's API name in its defined case, e.g. {@code Call_Disposition__e}. */
    public Optional<String> canonicalName(String eventName) {
        return definition(eventName).map(Map.Entry::getKey);
    }

    private Optional<Map.Entry<String, Map<String, String>>> definition(String eventName) {
        return settings.platformEvents().entrySet().stream()
                .filter(entry -> entry.getKey().equalsIgnoreCase(eventName))
                .findFirst();
    }

    /** An event whose fields passed the definition's checks, ready to publish. */
    public record CheckedEvent(String name, List<String> definedFields, Map<String, Object> fields) {
    }

    /**
     * Checks the fields against the event definition and publishes the event.
     *
     * @throws SalesforceApiException NOT_FOUND for an undefined event, INVALID_FIELD for an unknown field
     */
    public Published publish(String eventName, Map<String, ?> values, String userId) {
        return publish(check(eventName, values), userId);
    }

    /**
     * Checks the fields against the event definition without publishing, so that a caller publishing several events
     * all-or-none can refuse them all before any is out.
     *
     * @throws SalesforceApiException NOT_FOUND for an undefined event, INVALID_FIELD for an unknown field
     */
    public CheckedEvent check(String eventName, Map<String, ?> values) {
        Map.Entry<String, Map<String, String>> definition = definition(eventName)
                .orElseThrow(SalesforceApiException::notFound);
        String name = definition.getKey();
        Map<String, Object> fields = new LinkedHashMap<>();
        for (Map.Entry<String, ?> entry : values.entrySet()) {
            if ("attributes".equals(entry.getKey())) {
                continue;
            }
            String field = definition.getValue().keySet().stream()
                    .filter(known -> known.toLowerCase(Locale.ROOT).equals(entry.getKey().toLowerCase(Locale.ROOT)))
                    .findFirst()
                    .orElseThrow(() -> SalesforceApiException.invalidField(
                            "No such column '" + entry.getKey() + "' on sobject of type " + name, entry.getKey()));
            Object value = entry.getValue();
            if (value instanceof Map || value instanceof List) {
                throw new SalesforceApiException(400, "JSON_PARSER_ERROR",
                        "Cannot deserialize a JSON object or array into field " + field, List.of(field));
            }
            fields.put(field, value);
        }
        Refusal armed = refusal;
        if (armed != null && armed.value().equals(fields.get(armed.field()))) {
            throw new SalesforceApiException(503, armed.errorCode(), "The event could not be published now.");
        }
        return new CheckedEvent(name, List.copyOf(definition.getValue().keySet()), fields);
    }

    public Published publish(CheckedEvent checked, String userId) {
        return publish(checked, userId, UUID.randomUUID().toString());
    }

    /** Publishes with a given EventUuid: a Pub/Sub publisher may name its events itself ({@code ProducerEvent.id}). */
    public Published publish(CheckedEvent checked, String userId, String eventUuid) {
        String name = checked.name();
        Map<String, Object> fields = checked.fields();
        String createdById = userId.substring(0, 15);
        String createdDate = WireFormat.time(settings.clock().instant());
        String schema = EventSchemas.platformEvent(name, settings.platformEvents().get(name)).id();
        long replayId = bus.publish(List.of("/event/" + name), id -> {
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("CreatedDate", createdDate);
            payload.put("CreatedById", createdById);
            payload.putAll(fields);
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("EventUuid", eventUuid);
            event.put("replayId", id);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("schema", schema);
            data.put("payload", payload);
            data.put("event", event);
            return data;
        });
        return new Published(eventUuid, replayId);
    }
}
