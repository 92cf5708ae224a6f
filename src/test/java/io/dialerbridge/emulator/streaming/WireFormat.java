package io.dialerbridge.emulator.streaming;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

/** How values look in streaming events: date-times with three-digit millis and {@code Z}, schema ids. */
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

    /** A 22-character base64url schema id, stable for one event layout, like Salesforce's Avro fingerprints. */
    public static String schemaId(String layout) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest(layout.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
