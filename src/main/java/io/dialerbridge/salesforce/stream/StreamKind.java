package io.dialerbridge.salesforce.stream;

/** The four Salesforce streams, told apart by their channel prefix. */
public enum StreamKind {
    PUSH_TOPIC, GENERIC, CHANGE_DATA_CAPTURE, PLATFORM_EVENT;

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
