package io.dialerbridge.jms;

import io.dialerbridge.kafka.DialerTopics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.camel.support.DefaultMessage;

/**
 * Turns a batch of contract records read from Kafka into the JMS messages of {@code jms-egress}, and commits the
 * batch's offsets once the broker took every one of them.
 *
 * <p>Each message keeps the record's value as its body. Its CloudEvents headers become JMS properties named with the
 * {@code cloudEvents_} prefix (the application-property naming of the CloudEvents AMQP binding, the only one of its
 * forms that is a legal JMS property name) and the content type becomes {@code Content_Type}; the dead-letter headers
 * ({@code dialer_*}) travel as they are. {@code JMSXGroupID} is the Kafka key (the person id of a contact command), so
 * a broker that honours message groups hands one person's commands to one consumer, in order. {@code _AMQ_DUPL_ID} is
 * the {@code ce_id} (or, for a record without one such as a suppression row, its topic, partition and offset): both are
 * the same every time the record is read, so Artemis drops the copy a resend after a failure would otherwise deliver.
 */
public class JmsEgress {

    /** Exchange property holding the batch's commit handles, read by {@link #acknowledge}. */
    static final String BATCH = "dialerJmsEgressBatch";
    /**
     * The JMS destination of one message, for {@code toD}. Named {@code Camel*} on purpose: camel-jms never turns such
     * a header into a JMS property.
     */
    public static final String DESTINATION = "CamelDialerJmsDestination";

    static final String GROUP_ID = "JMSXGroupID";
    static final String DUPLICATE_ID = "_AMQ_DUPL_ID";
    static final String CLOUD_EVENTS_PREFIX = "cloudEvents_";
    static final String CONTENT_TYPE = "Content_Type";
    private static final String KAFKA_CLOUD_EVENTS_PREFIX = "ce_";
    private static final String KAFKA_CONTENT_TYPE = "content-type";
    private static final String DIALER_PREFIX = "dialer_";

    private final Map<String, String> destinations;

    /** @param destinations JMS destination ({@code queue:…} or {@code topic:…}) of each Kafka topic */
    JmsEgress(Map<String, String> destinations) {
        this.destinations = Map.copyOf(destinations);
    }

    /** The destinations of the four contract topics from the settings, each one required. */
    static JmsEgress of(DialerTopics topics, JmsProperties.Destinations settings) {
        Map<String, String> destinations = new LinkedHashMap<>();
        destinations.put(topics.getContactCommands(), settings.getContactCommands());
        destinations.put(topics.getCampaignControl(), settings.getCampaignControl());
        destinations.put(topics.getSuppressions(), settings.getSuppressions());
        destinations.put(topics.getDeadLetter(), settings.getDeadLetter());
        return new JmsEgress(destinations);
    }

    /** One JMS message per record, in the batch's order; keeps the commit handles for {@link #acknowledge}. */
    public List<Message> messages(@Body List<Exchange> records, Exchange exchange) {
        List<Message> messages = new ArrayList<>(records.size());
        Map<String, KafkaManualCommit> lastOfPartition = new LinkedHashMap<>();
        for (Exchange record : records) {
            Message in = record.getMessage();
            String topic = in.getHeader(KafkaConstants.TOPIC, String.class);
            Integer partition = in.getHeader(KafkaConstants.PARTITION, Integer.class);
            Long offset = in.getHeader(KafkaConstants.OFFSET, Long.class);
            messages.add(message(exchange, in, topic, partition + "@" + offset));
            // Records of a partition arrive in offset order: the last one's handle commits the whole partition.
            lastOfPartition.put(topic + "-" + partition, in.getHeader(KafkaConstants.MANUAL_COMMIT,
                    KafkaManualCommit.class));
        }
        exchange.setProperty(BATCH, List.copyOf(lastOfPartition.values()));
        return messages;
    }

    private Message message(Exchange exchange, Message record, String topic, String position) {
        String destination = destinations.get(topic);
        if (destination == null || destination.isBlank()) {
            throw new IllegalStateException("no JMS destination for Kafka topic " + topic
                    + " (dialer.jms.egress.destinations.*)");
        }
        Message message = new DefaultMessage(exchange.getContext());
        String ceId = null;
        for (Map.Entry<String, Object> header : record.getHeaders().entrySet()) {
            String name = header.getKey();
            if (name.startsWith(KAFKA_CLOUD_EVENTS_PREFIX)) {
                String value = text(header.getValue());
                message.setHeader(CLOUD_EVENTS_PREFIX + name.substring(KAFKA_CLOUD_EVENTS_PREFIX.length()), value);
                if (name.equals("ce_id")) {
                    ceId = value;
                }
            } else if (name.equalsIgnoreCase(KAFKA_CONTENT_TYPE)) {
                message.setHeader(CONTENT_TYPE, text(header.getValue()));
            } else if (name.startsWith(DIALER_PREFIX)) {
                message.setHeader(name, text(header.getValue()));
            }
        }
        String key = text(record.getHeader(KafkaConstants.KEY));
        if (key != null) {
            message.setHeader(GROUP_ID, key);
        }
        message.setHeader(DUPLICATE_ID, ceId != null ? ceId : topic + "-" + position);
        message.setHeader(DESTINATION, destination);
        message.setBody(record.getBody());
        return message;
    }

    /** Commits the batch's offsets: reached only once the broker acknowledged every message of it. */
    public void acknowledge(@ExchangeProperty(BATCH) List<KafkaManualCommit> commits) {
        for (KafkaManualCommit commit : commits) {
            if (commit == null) {
                throw new IllegalStateException("a record has no manual commit handle: the consumer needs"
                        + " allowManualCommit=true");
            }
            commit.commit();
        }
    }

    private static String text(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return value.toString();
    }
}
