package io.dialerbridge.emulator.streaming;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How values look in CometD events: date-times with three-digit millis and {@code Z}. */
public final class WireFormat {

    private static final DateTimeFormatter STREAMING_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private WireFormat() {
    }

    /** camel-salesforce parses only exactly three fraction digits and {@code Z} or {@code +HHMM}. */
    public static String time(Instant instant) {
        return STREAMING_TIME.format(instant);
    }

    /** Converts stored values to what a streaming JSON body carries. */
    public static Object value(Object value) {
        return value instanceof Instant instant ? time(instant) : value;
    }
}
