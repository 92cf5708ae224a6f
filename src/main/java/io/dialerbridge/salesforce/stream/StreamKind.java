package io.dialerbridge.salesforce.stream;

import java.time.Duration;

/** The four Salesforce streams, told apart by their channel prefix. */
public enum StreamKind {
    PUSH_TOPIC, GENERIC, CHANGE_DATA_CAPTURE, PLATFORM_EVENT;

    /**
     * How long Salesforce keeps the stream's events for replay: 24 hours for PushTopic and generic streaming, 72 hours
     * for change data capture and platform events. A replay id older than that is refused on subscribe.
     */
    public Duration retention() {
        return this == PUSH_TOPIC || this == GENERIC ? Duration.ofHours(24) : Duration.ofHours(72);
    }

    /** The CometD channel for an endpoint's topic, named as camel-salesforce names it ({@code Foo} → {@code /topic/Foo}). */
    public static String channelOf(String topic) {
        String channel = topic.startsWith("/") ? topic : "/" + topic;
        return channel.indexOf('/', 1) > 0 ? channel : "/topic" + channel;
    }

    public static StreamKind of(String channel) {
        if (channel.startsWith("/u/")) {
            return GENERIC;
        }
        if (channel.startsWith("/data/")) {
            return CHANGE_DATA_CAPTURE;
        }
        if (channel.startsWith("/event/")) {
            return PLATFORM_EVENT;
        }
        return PUSH_TOPIC;
    }
}
