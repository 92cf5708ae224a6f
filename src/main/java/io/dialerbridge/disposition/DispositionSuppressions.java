package io.dialerbridge.disposition;

import com.fasterxml.jackson.databind.JsonNode;
import io.dialerbridge.command.CommandType;
import io.dialerbridge.command.DialerCommand;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns {@code DO_NOT_CALL} dispositions into {@code dialer.contact.suppress} commands, on a consumer group of their
 * own so the dialer stops calling at once, however long Salesforce keeps the publishing route waiting. The DNC guard
 * ({@code SuppressionGuard}) then screens them like any forward command, which gives the {@code dialer.suppressions}
 * rows and makes the guard block upserts for the person from that moment.
 *
 * <p>The command is a CloudEvent like the forward commands: {@code ce_source} {@value #SOURCE}, {@code ce_id}
 * {@code disposition:<callId>} (a redelivered disposition yields the same id), {@code ce_subject} and key the person
 * id, {@code ce_time} when the call ended (else started, else when the record was written). Its data is the
 * contract's suppress: {@code recordId}, {@code phones} (the number called), {@code scope} {@code CONTACT},
 * {@code reason} {@code DISPOSITION}, {@code requestedAt}. Invalid records are skipped here: the publishing route
 * dead-letters them.
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

    /** A do-not-call disposition and the time its command carries. */
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

    /** One {@code dialer.contact.suppress} command per do-not-call disposition, in topic order. */
    public List<DialerCommand> commands(@ExchangeProperty(BATCH) SuppressionBatch batch) {
        List<DialerCommand> commands = new ArrayList<>();
        for (DoNotCall doNotCall : batch.doNotCalls()) {
            DialerCommand command = command(doNotCall.disposition(), doNotCall.time());
            commands.add(command);
            LOG.info("Suppressing {} after a DO_NOT_CALL disposition (call {})", command.subject(),
                    doNotCall.disposition().callId());
        }
        return commands;
    }

    /** Commits the batch's offsets once the commands and suppression rows are on Kafka. */
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
}
