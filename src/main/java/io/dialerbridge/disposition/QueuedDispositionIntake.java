package io.dialerbridge.disposition;

import com.fasterxml.jackson.databind.JsonNode;
import io.dialerbridge.command.phone.PhoneNormalizer;
import io.dialerbridge.deadletter.DeadLetter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispositions that arrive on a JMS queue ({@code jms-dispositions-ingress}), turned into records of the dispositions
 * topic. They are checked like the REST intake's, so they go through the same publishing (once per callId) and
 * suppression as any other.
 *
 * <p>A message holds one disposition (a JSON object) or several (an array). There is no caller to answer a 400, so
 * each element stands alone: a valid one is written as the intake writes it; an invalid {@code DO_NOT_CALL} whose
 * person or phone can be read is written as it was sent, so it still suppresses and the publishing route
 * dead-letters it with its reasons (as for the intake); any other invalid one, and a message that is not JSON, goes
 * to the dead-letter topic with its reasons. Everything of one message is written in one synchronous Kafka send, and
 * the JMS message is acknowledged (its transaction committed) only after Kafka acknowledged it.
 */
public class QueuedDispositionIntake {

    private static final Logger LOG = LoggerFactory.getLogger(QueuedDispositionIntake.class);
    static final String ROUTE_ID = "jms-dispositions-ingress";

    private final DispositionValidator validator;
    private final PhoneNormalizer phones;
    private final String deadLetterTopic;
    private final Clock clock;

    public QueuedDispositionIntake(DispositionValidator validator, PhoneNormalizer phones, String deadLetterTopic,
            Clock clock) {
        this.validator = validator;
        this.phones = phones;
        this.deadLetterTopic = deadLetterTopic;
        this.clock = clock;
    }

    /** The Kafka records of one queued message: dispositions for their topic, dead letters for theirs. */
    public List<Message> read(Exchange exchange) {
        String body = exchange.getIn().getBody(String.class);
        JsonNode request = parse(body);
        if (request == null) {
            LOG.warn("Dead-lettered a queued disposition message that is not JSON");
            return List.of(deadLetter(exchange, body, DispositionDeadLetters.Reason.MALFORMED_JSON,
                    List.of(new FieldViolation("$", "is not JSON"))));
        }
        List<JsonNode> elements = new ArrayList<>();
        if (request.isArray()) {
            request.forEach(elements::add);
        } else {
            elements.add(request);
        }
        List<Message> records = new ArrayList<>();
        for (JsonNode element : elements) {
            ValidationResult<Disposition> checked = validator.validate(element);
            if (checked.isValid()) {
                records.addAll(DispositionIntake.toTopicRecords(exchange, List.of(checked.value())));
                continue;
            }
            String sent = DispositionJson.write(element);
            DoNotCallRequest doNotCall = element.isObject() ? DoNotCallRequest.read(element, phones).orElse(null)
                    : null;
            if (doNotCall != null) {
                Message record = new DefaultMessage(exchange.getContext());
                record.setHeader(KafkaConstants.KEY, doNotCall.numberOnly() ? doNotCall.phone()
                        : doNotCall.personId());
                record.setHeader(DispositionJson.CONTENT_TYPE_HEADER, DispositionJson.MEDIA_TYPE);
                record.setBody(sent);
                records.add(record);
                LOG.warn("Kept an invalid queued DO_NOT_CALL disposition for suppression; it is dead-lettered when"
                        + " published");
            } else {
                records.add(deadLetter(exchange, sent, DispositionDeadLetters.Reason.INVALID_DISPOSITION,
                        checked.violations()));
                LOG.warn("Dead-lettered an invalid queued disposition: {}", checked.violations().stream()
                        .map(FieldViolation::field).toList());
            }
        }
        return records;
    }

    private Message deadLetter(Exchange exchange, String body, DispositionDeadLetters.Reason reason,
            List<FieldViolation> errors) {
        Message letter = new DefaultMessage(exchange.getContext());
        letter.setHeader(KafkaConstants.OVERRIDE_TOPIC, deadLetterTopic);
        DeadLetter.of(reason.name(), DispositionJson.write(errors), ROUTE_ID)
                .with(DeadLetter.TIME, clock.instant()).addTo(letter);
        letter.setBody(body == null ? "" : body);
        return letter;
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode node = DispositionJson.MAPPER.readTree(body);
            return node == null || node.isMissingNode() ? null : node;
        } catch (java.io.IOException malformed) {
            return null;
        }
    }
}
