package io.dialerbridge.disposition;

import com.fasterxml.jackson.databind.JsonNode;
import io.dialerbridge.command.CommandType;
import io.dialerbridge.command.DialerCommand;
import io.dialerbridge.command.phone.PhoneNormalizer;
import io.dialerbridge.forward.ConsumedOffsets;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns {@code DO_NOT_CALL} dispositions into {@code dialer.contact.suppress} commands. It reads on a consumer group of
 * its own, so the dialer stops calling at once, however long Salesforce keeps the publishing route waiting. The DNC
 * guard ({@code SuppressionGuard}) then screens them like any forward command, which gives the
 * {@code dialer.suppressions} rows and makes the guard block upserts for the person from that moment.
 *
 * <p>The command is a CloudEvent like the forward commands: {@code ce_source} {@value #SOURCE}, {@code ce_id}
 * {@code disposition:<callId>} (a redelivered disposition yields the same id), {@code ce_time} when the call ended
 * (else started, else when the record was written). Its data is the contract's suppress: {@code recordId},
 * {@code phones} (the number called), {@code scope}, {@code reason} {@code DISPOSITION}, {@code requestedAt}.
 *
 * <p>An invalid {@code DO_NOT_CALL} disposition suppresses too, whenever its person id or its phone can be read
 * ({@link DoNotCallRequest}); the publishing route still dead-letters it with its reasons. With a person id the
 * command is the usual one ({@code scope CONTACT}, key and {@code ce_subject} the person); with only a phone it is a
 * number-only suppress: key and {@code ce_subject} the E.164 number, {@code recordId} null, {@code scope NUMBER}. A
 * disposition without a usable call id gets {@code ce_id disposition:<topic>-<partition>@<offset>}, as stable
 * across redeliveries.
 */
public class DispositionSuppressions {

    private static final Logger LOG = LoggerFactory.getLogger(DispositionSuppressions.class);

    public static final String BATCH = "dialerSuppressionBatch";
    /** CloudEvents {@code source} of the commands: the dialer's dispositions, relayed by the bridge. */
    public static final String SOURCE = "/dialer/dispositions";
    public static final String REASON = "DISPOSITION";
    static final String SCOPE_CONTACT = "CONTACT";
    /** The scope of a suppression of a number alone, when the disposition names no readable person. */
    static final String SCOPE_NUMBER = "NUMBER";

    private final DispositionValidator validator;
    private final PhoneNormalizer phones;
    private final Clock clock;
    private final String groupId;

    /** The records of one Kafka batch and the do-not-call requests among them, with when each happened. */
    record SuppressionBatch(List<ConsumedRecord> records, List<DoNotCall> doNotCalls) {
    }

    /** A do-not-call request, the id its command carries, and the time it carries. */
    record DoNotCall(DoNotCallRequest request, String commandId, Instant time) {
    }

    /** @param groupId the route's consumer group, whose offsets commit in the suppressions' transaction */
    public DispositionSuppressions(DispositionValidator validator, PhoneNormalizer phones, Clock clock,
            String groupId) {
        this.validator = validator;
        this.phones = phones;
        this.clock = clock;
        this.groupId = groupId;
    }

    /** Picks the {@code DO_NOT_CALL} dispositions, valid or not, out of a camel-kafka batch. */
    public void open(@Body List<Exchange> records, Exchange exchange) {
        List<ConsumedRecord> consumed = records.stream().map(ConsumedRecord::of).toList();
        List<DoNotCall> doNotCalls = new ArrayList<>();
        for (ConsumedRecord record : consumed) {
            DoNotCallRequest request = doNotCall(record);
            if (request != null) {
                String commandId = "disposition:" + (request.callId() != null ? request.callId() : record.position());
                doNotCalls.add(new DoNotCall(request, commandId, timeOf(request, record)));
            }
        }
        exchange.setProperty(BATCH, new SuppressionBatch(consumed, List.copyOf(doNotCalls)));
        exchange.setProperty(ConsumedOffsets.PROPERTY, new ConsumedOffsets(groupId, nextOffsets(consumed)));
    }

    /** Per partition of the batch, the offset after its last record: where the group reads on. */
    static Map<TopicPartition, OffsetAndMetadata> nextOffsets(List<ConsumedRecord> records) {
        return records.stream().collect(Collectors.toMap(ConsumedRecord::topicPartition,
                record -> new OffsetAndMetadata(record.offset() + 1),
                (a, b) -> a.offset() >= b.offset() ? a : b, LinkedHashMap::new));
    }

    public boolean hasDoNotCall(@ExchangeProperty(BATCH) SuppressionBatch batch) {
        return !batch.doNotCalls().isEmpty();
    }

    /** One {@code dialer.contact.suppress} command per do-not-call disposition, in topic order. */
    public List<DialerCommand> commands(@ExchangeProperty(BATCH) SuppressionBatch batch) {
        List<DialerCommand> commands = new ArrayList<>();
        for (DoNotCall doNotCall : batch.doNotCalls()) {
            DialerCommand command = command(doNotCall.request(), doNotCall.commandId(), doNotCall.time());
            commands.add(command);
            if (doNotCall.request().numberOnly()) {
                LOG.info("Suppressing number {} after a DO_NOT_CALL disposition without a readable person ({})",
                        PhoneNormalizer.mask(doNotCall.request().phone()), doNotCall.commandId());
            } else {
                LOG.info("Suppressing {} after a DO_NOT_CALL disposition ({})", command.subject(),
                        doNotCall.commandId());
            }
        }
        return commands;
    }

    /**
     * Commits the offsets of a batch without a do-not-call: a batch with one committed its offsets in the transaction
     * of its suppressions (so a batch read again after a crash or a change of leader suppresses nothing twice).
     */
    public void acknowledge(@ExchangeProperty(BATCH) SuppressionBatch batch) {
        if (batch.doNotCalls().isEmpty()) {
            ConsumedRecord.commitAll(batch.records());
        }
    }

    /** The suppress command for one do-not-call request: of the person when it names one, else of the number. */
    static DialerCommand command(DoNotCallRequest request, String commandId, Instant time) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("recordId", request.personId());
        data.put("phones", request.phone() == null ? List.of() : List.of(request.phone()));
        data.put("scope", request.numberOnly() ? SCOPE_NUMBER : SCOPE_CONTACT);
        data.put("reason", REASON);
        data.put("requestedAt", time.toString());
        String subject = request.numberOnly() ? request.phone() : request.personId();
        return new DialerCommand(CommandType.CONTACT_SUPPRESS, subject, commandId, SOURCE, subject, time, data);
    }

    private Instant timeOf(DoNotCallRequest request, ConsumedRecord record) {
        if (request.endedAt() != null) {
            return request.endedAt();
        }
        if (request.startedAt() != null) {
            return request.startedAt();
        }
        return record.timestamp() != null ? Instant.ofEpochMilli(record.timestamp()) : clock.instant();
    }

    /** The do-not-call request of a record: every valid one, and every invalid one whose person or phone reads. */
    private DoNotCallRequest doNotCall(ConsumedRecord record) {
        if (record.value() == null) {
            return null;
        }
        JsonNode document;
        try {
            document = DispositionJson.MAPPER.readTree(record.value());
        } catch (IOException notJson) {
            // the publishing route dead-letters it; nothing in it can be read
            return null;
        }
        ValidationResult<Disposition> result = validator.validate(document);
        if (result.isValid()) {
            return result.value().disposition() == DispositionCode.DO_NOT_CALL ? DoNotCallRequest.of(result.value())
                    : null;
        }
        DoNotCallRequest request = DoNotCallRequest.read(document, phones).orElse(null);
        if (request != null) {
            // Field names only: the values may hold the phone or the notes.
            LOG.warn("DO_NOT_CALL disposition {} is invalid ({}), and suppresses all the same; the publishing route"
                    + " dead-letters it", record.position(),
                    result.violations().stream().map(FieldViolation::field).toList());
        } else if (DispositionCode.DO_NOT_CALL.name().equals(document.path("disposition").asText(null))) {
            LOG.error("DO_NOT_CALL disposition {} names neither a readable person id nor a readable phone: nobody"
                    + " can be suppressed; the publishing route dead-letters it", record.position());
        }
        return request;
    }
}
