package io.dialerbridge.deadletter;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Message;
import org.apache.kafka.common.header.Headers;

/**
 * The headers of a record on {@code dialer.dead-letter}, for the stream events and the dispositions alike.
 *
 * <p>Every header value is UTF-8 text carried as bytes, whether the record goes out through a Camel message or
 * straight to a Kafka producer: camel-kafka turns a String header into bytes with the platform charset, bytes it
 * sends unchanged, so bytes are the one encoding a dead letter reads the same in both directions.
 */
public final class DeadLetter {

    /** What every dead-letter header's name starts with. */
    public static final String PREFIX = "dialer_dead_letter_";
    /** Why the record could not be processed: a reason code or an exception's simple class name. */
    public static final String REASON = PREFIX + "reason";
    /** What went wrong, in words (the stream events) or as a JSON array of field errors (the dispositions). */
    public static final String DETAIL = PREFIX + "detail";
    /** The route that gave up on the record. */
    public static final String ROUTE = PREFIX + "route";
    /** The Streaming API channel of a stream event. */
    public static final String CHANNEL = PREFIX + "channel";
    /** The replay id of a stream event. */
    public static final String REPLAY_ID = PREFIX + "replay_id";
    /** Where a consumed record was read: its topic. */
    public static final String SOURCE_TOPIC = PREFIX + "source_topic";
    /** Where a consumed record was read: its partition. */
    public static final String SOURCE_PARTITION = PREFIX + "source_partition";
    /** Where a consumed record was read: its offset. */
    public static final String SOURCE_OFFSET = PREFIX + "source_offset";
    /** When the record was dead-lettered, RFC 3339. */
    public static final String TIME = PREFIX + "time";

    private final Map<String, byte[]> headers = new LinkedHashMap<>();

    private DeadLetter() {
    }

    /** A dead letter for {@code reason}, explained by {@code detail}, given up on by {@code route}. */
    public static DeadLetter of(String reason, String detail, String route) {
        return new DeadLetter().with(REASON, reason).with(DETAIL, detail).with(ROUTE, route);
    }

    /** The dead-letter headers an earlier route step set on {@code message}, as Strings or as bytes. */
    public static DeadLetter from(Message message) {
        DeadLetter letter = new DeadLetter();
        message.getHeaders().forEach((name, value) -> {
            if (name.startsWith(PREFIX)) {
                if (value instanceof byte[] bytes) {
                    letter.headers.put(name, bytes);
                } else {
                    letter.with(name, value);
                }
            }
        });
        return letter;
    }

    /** Adds one header, the value as text; a null value adds none. */
    public DeadLetter with(String name, Object value) {
        if (value != null) {
            headers.put(name, String.valueOf(value).getBytes(StandardCharsets.UTF_8));
        }
        return this;
    }

    /** The headers by name, in the order they were added. */
    public Map<String, byte[]> headers() {
        return Collections.unmodifiableMap(headers);
    }

    /** Sets the headers on a Camel message a Kafka producer sends. */
    public void addTo(Message message) {
        headers.forEach(message::setHeader);
    }

    /** Adds the headers to a Kafka record. */
    public void addTo(Headers record) {
        headers.forEach(record::add);
    }
}
