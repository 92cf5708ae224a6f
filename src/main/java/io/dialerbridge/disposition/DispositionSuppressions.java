package io.dialerbridge.disposition;

import com.fasterxml.jackson.databind.JsonNode;
import io.dialerbridge.command.CommandType;
import io.dialerbridge.command.DialerCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Body;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns {@code DO_NOT_CALL} dispositions into a {@code dialer.contact.suppress} command and {@code dialer.suppressions}
 * entries, on their own consumer group so the dialer stops calling at once, however long Salesforce keeps the
 * publishing route waiting.
 *
 * <p>The command is a CloudEvent like the forward commands: {@code ce_source} {@value #SOURCE}, {@code ce_id}
 * {@code disposition:<callId>} (a redelivered disposition yields the same id), {@code ce_subject} and key the person
 * id, {@code ce_time} when the call ended (else started, else when the record was written). Its data is the
 * contract's suppress: {@code recordId}, {@code phones} (the number called), {@code scope} {@code CONTACT},
 * {@code reason} {@code DISPOSITION}, {@code requestedAt}. The suppressions topic gets {@code record:<id>} and
 * {@code phone:<E.164>}, each {@code {"recordId", "phone", "suppressed": true, "reason": "DISPOSITION", "since"}}.
 * Invalid records are skipped here: the publishing route dead-letters them.
 */
public class DispositionSuppressions {

    private static final Logger LOG = LoggerFactory.getLogger(DispositionSuppressions.class);

    public static final String BATCH = "dialerSuppressionBatch";
    /** CloudEvents {@code source} of the commands: the dialer's dispositions, relayed by the bridge. */
    public static final String SOURCE = "/dialer/dispositions";
    public static final String REASON = "DISPOSITION";
    static final String SCOPE_CONTACT = "CONTACT";

    private final DispositionValidator validator;
    private final Clock clock;

    /** The records of one Kafka batch and the do-not-call dispositions among them, with when each happened. */
    record SuppressionBatch(List<ConsumedRecord> records, List<DoNotCall> doNotCalls) {
    }

    /** A do-not-call disposition and the time its commands carry. */
    record DoNotCall(Disposition disposition, Instant time) {
    }

    public DispositionSuppressions(DispositionValidator validator, Clock clock) {
        this.validator = validator;
        this.clock = clock;
    }

    /** Picks the valid {@code DO_NOT_CALL} dispositions out of a camel-kafka batch. */
    public void open(@Body List<Exchange> records, Exchange exchange) {
        List<ConsumedRecord> consumed = records.stream().map(ConsumedRecord::of).toList();
        List<DoNotCall> doNotCalls = new ArrayList<>();
        for (ConsumedRecord record : consumed) {
            Disposition disposition = doNotCall(record);
            if (disposition != null) {
                doNotCalls.add(new DoNotCall(disposition, timeOf(disposition, record)));
            }
        }
        exchange.setProperty(BATCH, new SuppressionBatch(consumed, List.copyOf(doNotCalls)));
    }

    public boolean hasDoNotCall(@ExchangeProperty(BATCH) SuppressionBatch batch) {
        return !batch.doNotCalls().isEmpty();
    }

    /** One {@code dialer.contact.suppress} command per do-not-call disposition, for the contact-commands topic. */
    public List<Message> commands(@ExchangeProperty(BATCH) SuppressionBatch batch, Exchange exchange) {
        List<Message> messages = new ArrayList<>();
        for (DoNotCall doNotCall : batch.doNotCalls()) {
            DialerCommand command = command(doNotCall.disposition(), doNotCall.time());
            Message message = new DefaultMessage(exchange.getContext());
            command.kafkaHeaders().forEach((name, value) -> message.setHeader(name,
                    value.getBytes(StandardCharsets.UTF_8)));
            message.setHeader(KafkaConstants.KEY, command.key());
            message.setBody(DispositionJson.write(command.data()));
            messages.add(message);
            LOG.info("Suppressing {} after a DO_NOT_CALL disposition (call {})", command.subject(),
                    doNotCall.disposition().callId());
        }
        return messages;
    }

    /** The {@code record:<id>} and {@code phone:<E.164>} entries of each do-not-call disposition. */
    public List<Message> entries(@ExchangeProperty(BATCH) SuppressionBatch batch, Exchange exchange) {
        List<Message> messages = new ArrayList<>();
        for (DoNotCall doNotCall : batch.doNotCalls()) {
            Disposition disposition = doNotCall.disposition();
            String value = DispositionJson.write(entry(disposition, doNotCall.time()));
            messages.add(entryMessage(exchange.getContext(), "record:" + disposition.recordId(), value));
            if (disposition.phone() != null) {
                messages.add(entryMessage(exchange.getContext(), "phone:" + disposition.phone(), value));
            }
        }
        return messages;
    }

    /** Commits the batch's offsets once the commands and entries are on Kafka. */
    public void acknowledge(@ExchangeProperty(BATCH) SuppressionBatch batch) {
        ConsumedRecord.commitAll(batch.records());
    }

    /** The suppress command for one do-not-call disposition. */
    static DialerCommand command(Disposition disposition, Instant time) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("recordId", disposition.recordId());
        data.put("phones", disposition.phone() == null ? List.of() : List.of(disposition.phone()));
        data.put("scope", SCOPE_CONTACT);
        data.put("reason", REASON);
        data.put("requestedAt", time.toString());
        return new DialerCommand(CommandType.CONTACT_SUPPRESS, disposition.recordId(),
                "disposition:" + disposition.callId(), SOURCE, disposition.recordId(), time, data);
    }

    /** The value of both suppression entries of one disposition. */
    static Map<String, Object> entry(Disposition disposition, Instant since) {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("recordId", disposition.recordId());
        value.put("phone", disposition.phone());
        value.put("suppressed", true);
        value.put("reason", REASON);
        value.put("since", since.toString());
        return value;
    }

    private Instant timeOf(Disposition disposition, ConsumedRecord record) {
        if (disposition.endedAt() != null) {
            return disposition.endedAt();
        }
        if (disposition.startedAt() != null) {
            return disposition.startedAt();
        }
        return record.timestamp() != null ? Instant.ofEpochMilli(record.timestamp()) : clock.instant();
    }

    private Disposition doNotCall(ConsumedRecord record) {
        if (record.value() == null) {
            return null;
        }
        try {
            JsonNode document = DispositionJson.MAPPER.readTree(record.value());
            ValidationResult<Disposition> result = validator.validate(document);
            if (result.isValid() && result.value().disposition() == DispositionCode.DO_NOT_CALL) {
                return result.value();
            }
        } catch (IOException notJson) {
            // the publishing route dead-letters it
        }
        return null;
    }

    private static Message entryMessage(CamelContext camel, String key, String value) {
        Message message = new DefaultMessage(camel);
        message.setHeader(KafkaConstants.KEY, key);
        message.setHeader(DeadLetters.CONTENT_TYPE, "application/json");
        message.setBody(value);
        return message;
    }
}
