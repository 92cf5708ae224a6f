package io.dialerbridge.disposition;

import io.dialerbridge.deadletter.DeadLetter;
import java.time.Instant;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;

/**
 * The dead-letter records of the dispositions flow.
 *
 * <p>Each keeps the original key, value and headers unchanged and adds the {@link DeadLetter} headers saying why and
 * from where. The header scheme (every value UTF-8 text):
 * <ul>
 *   <li>{@code dialer_dead_letter_reason}: {@code MALFORMED_JSON}, {@code INVALID_DISPOSITION} or
 *       {@code SALESFORCE_REJECTED};</li>
 *   <li>{@code dialer_dead_letter_detail}: a JSON array of {@code {"field", "message"}}, the same shape as the
 *       {@code errors} of a 400 problem (for Salesforce rejections {@code field} is the event field or {@code $},
 *       {@code message} starts with Salesforce's status code);</li>
 *   <li>{@code dialer_dead_letter_route}: the route that gave up on the record;</li>
 *   <li>{@code dialer_dead_letter_source_topic}, {@code _source_partition}, {@code _source_offset}: where the record was read;</li>
 *   <li>{@code dialer_dead_letter_time}: when it was dead-lettered, RFC 3339.</li>
 * </ul>
 */
final class DispositionDeadLetters {

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
        DeadLetter.of(reason.name(), DispositionJson.write(errors), routeId)
                .with(DeadLetter.SOURCE_TOPIC, record.topic())
                .with(DeadLetter.SOURCE_PARTITION, record.partition())
                .with(DeadLetter.SOURCE_OFFSET, record.offset())
                .with(DeadLetter.TIME, now)
                .addTo(letter);
        letter.setBody(record.value());
        return letter;
    }
}
