package io.dialerbridge.forward;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dialerbridge.command.CommandTopic;
import io.dialerbridge.command.DialerCommand;
import io.dialerbridge.kafka.DialerTopics;
import io.dialerbridge.suppression.PersonNumbersChange;
import io.dialerbridge.suppression.Screened;
import io.dialerbridge.suppression.SuppressionChange;
import io.dialerbridge.suppression.SuppressionGuard;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;

/**
 * The Kafka records of one event's screened commands.
 *
 * <p>They come in order: each suppression change on the compacted suppression topic, each change of a person's known
 * numbers on the person-numbers topic, then each command as a CloudEvent in binary mode on its contract topic, keyed
 * by person or campaign. This is the one place that makes them: {@link ChannelTransactions} sends these records in
 * the channel's transaction (each message names its topic in {@code kafka.OVERRIDE_TOPIC} and its key in
 * {@code kafka.KEY}).
 */
public class OutboundRecords {

    /** The exchange property that holds a {@link Screened} result, for routes that call {@link #messages}. */
    public static final String SCREENED = "dialerScreened";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DialerTopics topics;
    private final CamelContext camel;
    /** The {@code dialer.commands} counter of each command type, looked up once rather than once per command. */
    private final Map<String, Counter> published = new ConcurrentHashMap<>();

    public OutboundRecords(DialerTopics topics, CamelContext camel) {
        this.topics = topics;
        this.camel = camel;
        // Every type's counter is on the scrape from the start, at 0, for the dashboard and alerts.
        for (io.dialerbridge.command.CommandType type : io.dialerbridge.command.CommandType.values()) {
            published.computeIfAbsent(type.ceType(), name -> Metrics.counter("dialer.commands", "type", name));
        }
    }

    /** Suppression rows first, then person-number rows, then the commands in their order. */
    public List<Message> messages(@ExchangeProperty(SCREENED) Screened screened) {
        List<Message> messages = new ArrayList<>();
        for (SuppressionChange change : screened.suppressionChanges()) {
            Message message = new DefaultMessage(camel);
            message.setHeader(KafkaConstants.OVERRIDE_TOPIC, topics.getSuppressions());
            message.setHeader(KafkaConstants.KEY, change.key());
            message.setBody(change.entry() == null ? null : SuppressionGuard.format(change.entry()));
            messages.add(message);
        }
        for (PersonNumbersChange change : screened.numberChanges()) {
            Message message = new DefaultMessage(camel);
            message.setHeader(KafkaConstants.OVERRIDE_TOPIC, topics.getPersonNumbers());
            message.setHeader(KafkaConstants.KEY, change.personId());
            message.setBody(change.numbers() == null ? null : SuppressionGuard.format(change.numbers()));
            messages.add(message);
        }
        for (DialerCommand command : screened.commands()) {
            Message message = new DefaultMessage(camel);
            message.setHeader(KafkaConstants.OVERRIDE_TOPIC, topicOf(command.topic()));
            message.setHeader(KafkaConstants.KEY, command.key());
            command.kafkaHeaders().forEach(message::setHeader);
            message.setBody(json(command));
            messages.add(message);
        }
        return messages;
    }

    /** Once the event's transaction committed: counts what reached the dialer, per command type. */
    public void published(@ExchangeProperty(SCREENED) Screened screened) {
        for (DialerCommand command : screened.commands()) {
            published.computeIfAbsent(command.type().ceType(), type -> Metrics.counter("dialer.commands", "type", type))
                    .increment();
        }
    }

    private String topicOf(CommandTopic topic) {
        return switch (topic) {
            case CONTACT_COMMANDS -> topics.getContactCommands();
            case CAMPAIGN_CONTROL -> topics.getCampaignControl();
        };
    }

    private static String json(DialerCommand command) {
        try {
            return JSON.writeValueAsString(command.data());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("command data is not JSON-serialisable: " + command.id(), e);
        }
    }
}
