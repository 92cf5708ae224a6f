package io.dialerbridge.forward;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dialerbridge.command.MappingException;
import io.dialerbridge.deadletter.DeadLetter;
import io.dialerbridge.salesforce.stream.SalesforceEvent;
import io.dialerbridge.salesforce.stream.SalesforceStreamConsumer;
import io.micrometer.core.instrument.Metrics;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.salesforce.SalesforceConstants;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dead letters of stream events the bridge cannot deliver.
 *
 * <p>Each is the event as it arrived, with the {@link DeadLetter} headers that say why it failed, in which route and
 * where it came from, so nothing is lost and someone can replay it.
 */
public class EventDeadLetters {

    private static final Logger LOG = LoggerFactory.getLogger(EventDeadLetters.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Route step inside an exception handler: the exchange's body becomes the original event's JSON. */
    public void prepare(Exchange exchange) {
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String reason = failure instanceof MappingException mapping ? mapping.reason().name()
                : failure == null ? "UNKNOWN" : failure.getClass().getSimpleName();
        String detail = failure == null ? "" : String.valueOf(failure.getMessage());
        String channel = exchange.getMessage().getHeader(SalesforceConstants.HEADER_SALESFORCE_CHANNEL, String.class);
        Object replayId = exchange.getMessage().getHeader(SalesforceConstants.HEADER_SALESFORCE_REPLAY_ID);
        String route = exchange.getFromRouteId();
        SalesforceEvent event = exchange.getProperty(SalesforceStreamConsumer.ORIGINAL_EVENT, SalesforceEvent.class);

        DeadLetter.of(reason, detail, route).with(DeadLetter.CHANNEL, channel).with(DeadLetter.REPLAY_ID, replayId)
                .addTo(exchange.getMessage());
        if (channel != null) {
            exchange.getMessage().setHeader(KafkaConstants.KEY, channel);
        }
        exchange.getMessage().setBody(event == null ? exchange.getMessage().getBody(String.class) : json(event));
        Metrics.counter("dialer.dead.letters", "reason", reason, "route", String.valueOf(route)).increment();
        LOG.warn("Dead-lettered the event {}:{} from route {}: {} {}", channel, replayId, route, reason, detail);
    }

    /**
     * The dead letter of an event whose records Kafka refused for good (too large, not serialisable) while its
     * channel's transaction was being sent: the same record {@code dead-letter-event} writes for a failed exchange.
     */
    public ProducerRecord<String, String> refused(String topic, SalesforceEvent event, String channel, Long replayId,
            String route, Exception failure) {
        String reason = failure.getClass().getSimpleName();
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, channel,
                event == null ? null : json(event));
        DeadLetter.of(reason, String.valueOf(failure.getMessage()), String.valueOf(route))
                .with(DeadLetter.CHANNEL, channel).with(DeadLetter.REPLAY_ID, replayId).addTo(record.headers());
        Metrics.counter("dialer.dead.letters", "reason", reason, "route", String.valueOf(route)).increment();
        LOG.warn("Dead-lettered the event {}:{} from route {}: Kafka refused its records: {} {}", channel, replayId,
                route, reason, failure.getMessage());
        return record;
    }

    private static String json(SalesforceEvent event) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("channel", event.channel());
        message.put("data", event.data());
        try {
            return JSON.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            return String.valueOf(message);
        }
    }
}
