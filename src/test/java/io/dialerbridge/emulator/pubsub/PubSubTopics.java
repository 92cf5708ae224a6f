package io.dialerbridge.emulator.pubsub;

import io.dialerbridge.emulator.EmulatorSettings;
import io.dialerbridge.emulator.data.SObjectType;
import io.dialerbridge.emulator.streaming.EventSchemas;
import io.dialerbridge.emulator.streaming.EventSchemas.EventSchema;
import io.dialerbridge.emulator.streaming.ChangeEventPublisher;
import io.dialerbridge.emulator.streaming.StreamingEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The topics Pub/Sub offers: a platform event's {@code /event/<Name>__e}, an entity's
 * {@code /data/<Entity>ChangeEvent} and {@code /data/ChangeEvents}, each the same channel of the event bus that
 * CometD reads. PushTopics and generic channels are not Pub/Sub topics, as in Salesforce.
 */
public final class PubSubTopics {

    /**
     * One topic.
     *
     * @param schema the schema its events are written in; null for {@code /data/ChangeEvents}, whose events each
     *     carry their entity's schema
     */
    public record Topic(String name, EventSchema schema, boolean canPublish) {

        public String schemaId() {
            return schema == null ? "" : schema.id();
        }
    }

    private final EmulatorSettings settings;

    public PubSubTopics(EmulatorSettings settings) {
        this.settings = settings;
    }

    /** The topic of that exact name (names are case-sensitive, as channel names are). */
    public Optional<Topic> find(String name) {
        if (name.startsWith("/event/")) {
            String event = name.substring("/event/".length());
            Map<String, String> fields = settings.platformEvents().get(event);
            return fields == null ? Optional.empty()
                    : Optional.of(new Topic(name, EventSchemas.platformEvent(event, fields), true));
        }
        if (ChangeEventPublisher.ALL_CHANGES_CHANNEL.equals(name)) {
            return Optional.of(new Topic(name, null, false));
        }
        return SObjectType.ALL.stream()
                .filter(SObjectType::isChangeDataCaptureEnabled)
                .filter(type -> type.changeEventChannel().equals(name))
                .findFirst()
                .map(type -> new Topic(name, EventSchemas.changeEvent(type), false));
    }

    /** Every schema an event of this org may be written in. */
    public List<EventSchema> schemas() {
        List<EventSchema> schemas = new ArrayList<>();
        SObjectType.ALL.stream().filter(SObjectType::isChangeDataCaptureEnabled)
                .forEach(type -> schemas.add(EventSchemas.changeEvent(type)));
        settings.platformEvents().forEach((name, fields) -> schemas.add(EventSchemas.platformEvent(name, fields)));
        return schemas;
    }

    public Optional<EventSchema> schema(String schemaId) {
        return schemas().stream().filter(schema -> schema.id().equals(schemaId)).findFirst();
    }

    /** The schema one retained event is written in on Pub/Sub. */
    public EventSchema schemaOf(StreamingEvent event) {
        if (event.channel().startsWith("/event/")) {
            return find(event.channel()).orElseThrow().schema();
        }
        Object header = ((Map<?, ?>) event.data().get("payload")).get("ChangeEventHeader");
        String entity = String.valueOf(((Map<?, ?>) header).get("entityName"));
        return EventSchemas.changeEvent(SObjectType.byName(entity).orElseThrow());
    }
}
