package io.dialerbridge.forward;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dialerbridge.command.CommandTopic;
import io.dialerbridge.command.CommandType;
import io.dialerbridge.command.DialerCommand;
import io.dialerbridge.kafka.DialerTopics;
import io.dialerbridge.suppression.PersonNumbersChange;
import io.dialerbridge.suppression.Screened;
import io.dialerbridge.suppression.SuppressionChange;
import io.dialerbridge.suppression.SuppressionGuard;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The Kafka records of one event's screened commands.
 *
 * <p>They come in order: each suppression change on the compacted suppression topic, each change of a person's known
 * numbers on the person-numbers topic, then each command as a CloudEvent in binary mode on its contract topic, keyed
 * by person or campaign. This is the one place that makes them: {@link ChannelTransactions} sends these records in
 * the channel's transaction.
 */
public class OutboundRecords {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DialerTopics topics;
    /** The {@code dialer.commands} counter of each command type, looked up once rather than once per command. */
    private final Map<String, Counter> published = new ConcurrentHashMap<>();

    public OutboundRecords(DialerTopics topics) {
        this.topics = topics;
        // Every type's counter is on the scrape from the start, at 0, for the dashboard and alerts.
        for (CommandType type : CommandType.values()) {
            published.computeIfAbsent(type.ceType(), name -> Metrics.counter("dialer.commands", "type", name));
        }
    }

    /** Suppression rows first, then person-number rows, then the commands in their order. */
    public List<ProducerRecord<String, String>> records(Screened screened) {
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (SuppressionChange change : screened.suppressionChanges()) {
            records.add(new ProducerRecord<>(topics.getSuppressions(), change.key(),
                    change.entry() == null ? null : SuppressionGuard.format(change.entry())));
        }
        for (PersonNumbersChange change : screened.numberChanges()) {
            records.add(new ProducerRecord<>(topics.getPersonNumbers(), change.personId(),
                    change.numbers() == null ? null : SuppressionGuard.format(change.numbers())));
        }
        for (DialerCommand command : screened.commands()) {
            ProducerRecord<String, String> record = new ProducerRecord<>(topicOf(command.topic()), command.key(),
                    json(command));
            command.kafkaHeaders().forEach((name, value) ->
                    record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
            records.add(record);
        }
        return records;
    }

    /** Once the event's transaction committed: counts what reached the dialer, per command type. */
    public void published(Screened screened) {
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
