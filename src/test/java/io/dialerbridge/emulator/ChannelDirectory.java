package io.dialerbridge.emulator;

import io.dialerbridge.emulator.data.RecordStore;
import io.dialerbridge.emulator.data.SObjectType;
import io.dialerbridge.emulator.streaming.ChangeEventPublisher;
import io.dialerbridge.emulator.soql.SoqlException;
import io.dialerbridge.emulator.soql.SoqlQuery;
import io.dialerbridge.emulator.streaming.PlatformEventPublisher;
import io.dialerbridge.emulator.streaming.StreamingServer;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which streaming channels exist in the org: active PushTopics, defined platform events, CDC entity channels and
 * generic StreamingChannel records. Subscribing to anything else fails as it does in Salesforce.
 */
final class ChannelDirectory implements StreamingServer.Channels {

    private final RecordStore records;
    private final PlatformEventPublisher platformEvents;

    ChannelDirectory(RecordStore records, PlatformEventPublisher platformEvents) {
        this.records = records;
        this.platformEvents = platformEvents;
    }

    @Override
    public boolean exists(String channel) {
        if (channel.startsWith("/topic/")) {
            return activeTopic(channel).isPresent();
        }
        if (channel.startsWith("/event/")) {
            return platformEvents.canonicalName(channel.substring("/event/".length()))
                    .filter(name -> channel.equals("/event/" + name))
                    .isPresent();
        }
        if (channel.startsWith("/data/")) {
            return ChangeEventPublisher.ALL_CHANGES_CHANNEL.equals(channel) || SObjectType.ALL.stream()
                    .filter(SObjectType::isChangeDataCaptureEnabled)
                    .anyMatch(type -> type.changeEventChannel().equals(channel));
        }
        if (channel.startsWith("/u/")) {
            return records.records(SObjectType.STREAMING_CHANNEL).stream()
                    .anyMatch(streamingChannel -> channel.equals(streamingChannel.get("Name")));
        }
        return false;
    }

    @Override
    public Optional<List<String>> pushTopicSelectFields(String channel) {
        return activeTopic(channel).flatMap(topic -> {
            try {
                return Optional.of(SoqlQuery.parse((String) topic.get("Query")).selectFields());
            } catch (SoqlException invalid) {
                return Optional.empty();
            }
        });
    }

    private Optional<Map<String, Object>> activeTopic(String channel) {
        if (!channel.startsWith("/topic/")) {
            return Optional.empty();
        }
        String name = channel.substring("/topic/".length());
        return records.records(SObjectType.PUSH_TOPIC).stream()
                .filter(topic -> name.equals(topic.get("Name")) && Boolean.TRUE.equals(topic.get("IsActive")))
                .findFirst();
    }
}
