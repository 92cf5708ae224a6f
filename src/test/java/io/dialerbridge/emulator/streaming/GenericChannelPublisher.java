package io.dialerbridge.emulator.streaming;

import io.dialerbridge.emulator.EmulatorSettings;
import io.dialerbridge.emulator.data.SalesforceApiException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Pushes generic streaming messages to {@code /u/<Name>} channels: the payload is an opaque string. */
public final class GenericChannelPublisher {

    /** Salesforce caps a generic payload at 3,000 single-byte characters. */
    public static final int MAX_PAYLOAD_LENGTH = 3_000;

    private final EmulatorSettings settings;
    private final EventBus bus;

    public GenericChannelPublisher(EmulatorSettings settings, EventBus bus) {
        this.settings = settings;
        this.bus = bus;
    }

    /** Refuses what Salesforce refuses: a missing payload, or one longer than {@link #MAX_PAYLOAD_LENGTH}. */
    public static String check(Object payload) {
        if (!(payload instanceof String text)) {
            throw new SalesforceApiException(400, "REQUIRED_FIELD_MISSING", "Required fields are missing: [payload]",
                    List.of("payload"));
        }
        if (text.length() > MAX_PAYLOAD_LENGTH) {
            throw new SalesforceApiException(400, "STRING_TOO_LONG",
                    "payload: data value too large (max length=" + MAX_PAYLOAD_LENGTH + ")", List.of("payload"));
        }
        return text;
    }

    public long push(String channel, String payload) {
        check(payload);
        String createdDate = WireFormat.time(settings.clock().instant());
        return bus.publish(List.of(channel), replayId -> {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("createdDate", createdDate);
            event.put("replayId", replayId);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("event", event);
            data.put("payload", payload);
            return data;
        });
    }
}
