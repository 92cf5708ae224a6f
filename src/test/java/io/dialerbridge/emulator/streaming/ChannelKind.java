package io.dialerbridge.emulator.streaming;

import java.time.Duration;
import io.dialerbridge.emulator.EmulatorSettings;

/** The four kinds of Salesforce streaming channel, told apart by their prefix; each has its own retention. */
public enum ChannelKind {
    PUSH_TOPIC("/topic/"), GENERIC("/u/"), CHANGE_DATA_CAPTURE("/data/"), PLATFORM_EVENT("/event/");

    private final String prefix;

    ChannelKind(String prefix) {
        this.prefix = prefix;
    }

    public static ChannelKind of(String channel) {
        for (ChannelKind kind : values()) {
            if (channel.startsWith(kind.prefix)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("not a streaming channel: " + channel);
    }

    /** Salesforce keeps PushTopic and generic events 24 hours, CDC and high-volume platform events 72. */
    public Duration retention(EmulatorSettings settings) {
        return this == PUSH_TOPIC || this == GENERIC ? settings.shortRetention() : settings.longRetention();
    }
}
