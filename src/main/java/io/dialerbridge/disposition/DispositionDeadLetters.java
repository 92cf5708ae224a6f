package io.dialerbridge.disposition;

import io.dialerbridge.kafka.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;

/**
 * Builds the dead-letter records of the dispositions flow: the original key, value and headers unchanged, plus
 * headers saying why and from where, named like the stream routes' dead letters ({@link DeadLetters}).
 *
 * <p>The header scheme (every value UTF-8 text):
 * <ul>
 *   <li>{@code dialer_dead_letter_reason}: {@code MALFORMED_JSON}, {@code INVALID_DISPOSITION} or
 *       {@code SALESFORCE_REJECTED};</li>
 *   <li>{@code dialer_dead_letter_detail}: a JSON array of {@code {"field", "message"}}, the same shape as the
 *       {@code errors} of a 400 problem (for Salesforce rejections {@code field} is the event field or {@code $},
 *       {@code message} starts with Salesforce's status code);</li>
 *   <li>{@code dialer_dead_letter_route}: the route that gave up on the record;</li>
 *   <li>{@value #SOURCE_TOPIC}, {@value #SOURCE_PARTITION}, {@value #SOURCE_OFFSET}: where the record was read;</li>
 *   <li>{@value #TIME}: when it was dead-lettered, RFC 3339.</li>
 * </ul>
 */
final class DispositionDeadLetters {

    static final String REASON = DeadLetters.REASON;
    static final String DETAIL = DeadLetters.DETAIL;
    static final String ROUTE = DeadLetters.ROUTE;
    static final String SOURCE_TOPIC = "dialer_dead_letter_source_topic";
    static final String SOURCE_PARTITION = "dialer_dead_letter_source_partition";
    static final String SOURCE_OFFSET = "dialer_dead_letter_source_offset";
    static final String TIME = "dialer_dead_letter_time";

    /** Why a record could not be processed. */
    enum Reason {
        /** The value is not JSON. */
        MALFORMED_JSON,
        /** The value is JSON but breaks the contract's rules. */
        INVALID_DISPOSITION,
        /** Salesforce refused the event for a reason that retrying does not change. */
        SALESFORCE_REJECTED
    }

    private DispositionDeadLetters() {
    }

    /** The dead letter of one record, for a Kafka producer with byte-array key and value serialisers. */
    static Message of(CamelContext camel, ConsumedRecord record, Reason reason, List<FieldViolation> errors,
            String routeId, Instant now) {
        Message letter = new DefaultMessage(camel);
        record.headers().forEach(letter::setHeader);
        if (record.key() != null) {
            letter.setHeader(KafkaConstants.KEY, record.key());
        }
        letter.setHeader(REASON, text(reason.name()));
        letter.setHeader(DETAIL, text(DispositionJson.write(errors)));
        letter.setHeader(ROUTE, text(routeId));
        letter.setHeader(SOURCE_TOPIC, text(record.topic()));
        letter.setHeader(SOURCE_PARTITION, text(Integer.toString(record.partition())));
        letter.setHeader(SOURCE_OFFSET, text(Long.toString(record.offset())));
        letter.setHeader(TIME, text(now.toString()));
        letter.setBody(record.value());
        return letter;
    }

    // Bytes, not strings: camel-kafka turns a String header into bytes with the platform charset.
    private static byte[] text(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
