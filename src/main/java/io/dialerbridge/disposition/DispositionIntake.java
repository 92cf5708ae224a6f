package io.dialerbridge.disposition;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.dialerbridge.command.phone.PhoneNormalizer;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of {@code POST /api/v1/dispositions}: who may send, what may be sent, and what is handed to the
 * dispositions topic once it passed.
 *
 * <p>The checks run in this order, each refusal raising a {@link RejectedRequestException}: the API key (401), the
 * content type (415), the body size (413), JSON syntax (400 malformed-json) and the contract's rules (400
 * invalid-disposition). The key comes first so that a caller without one learns nothing else about the API. What
 * passes is written to Kafka as one record per disposition, keyed by the person id in its 18-character form, the
 * value the validated disposition as JSON, so the publisher reads the same shape whatever the dialer sent.
 *
 * <p>An invalid request is all or nothing, with one exception, because Do Not Call comes first: every
 * {@code DO_NOT_CALL} disposition in it is still written to the topic, so the suppress route suppresses it. A valid
 * one is written as any valid disposition (and so published, once); an invalid one whose person id or phone can be
 * read ({@link DoNotCallRequest}) is written as it was sent, keyed by the person, else by the number, and the
 * publishing route dead-letters it with its reasons. The answer is still 400 naming every bad field, and its detail
 * says which were kept: the dialer knows the person said "do not call", and refusing the whole request would have
 * lost that until someone fixed and resent it.
 */
public class DispositionIntake {

    private static final Logger LOG = LoggerFactory.getLogger(DispositionIntake.class);

    /** Exchange property holding how many dispositions the request carried. */
    public static final String ACCEPTED_COUNT = "dialerDispositionsAccepted";
    /** Exchange property holding the refusal of an invalid request whose do-not-calls are written all the same. */
    public static final String REFUSAL = "dialerDispositionsRefusal";

    static final String AUTHORIZATION = "Authorization";
    static final String SERVLET_REQUEST = "CamelHttpServletRequest";
    private static final String JSON = "application/json";

    private final ApiKeyAuthenticator authenticator;
    private final DispositionValidator validator;
    private final PhoneNormalizer phones;
    private final long maxRequestBytes;

    /** @param authenticator the configured keys; null when none are, and every request is refused */
    public DispositionIntake(ApiKeyAuthenticator authenticator, DispositionValidator validator, PhoneNormalizer phones,
            long maxRequestBytes) {
        this.authenticator = authenticator;
        this.validator = validator;
        this.phones = phones;
        this.maxRequestBytes = maxRequestBytes;
    }

    /** 401 unless the request carries a configured key; the header is dropped either way so it travels no further. */
    public void authenticate(Exchange exchange) {
        Message message = exchange.getIn();
        String authorization = message.getHeader(AUTHORIZATION, String.class);
        message.removeHeader(AUTHORIZATION);
        if (authenticator == null || !authenticator.accepts(authorization)) {
            throw new RejectedRequestException(ProblemDetails.unauthorized(),
                    Map.of("WWW-Authenticate", ProblemDetails.WWW_AUTHENTICATE));
        }
    }

    /**
     * Checks the content type, size, syntax and rules of the body, and returns one Kafka message per disposition; for
     * an invalid request, one per readable {@code DO_NOT_CALL} disposition in it, and {@link #answer} then refuses it.
     */
    public List<Message> read(Exchange exchange) {
        Message message = exchange.getIn();
        String contentType = message.getHeader(Exchange.CONTENT_TYPE, String.class);
        if (!isJson(contentType)) {
            throw new RejectedRequestException(ProblemDetails.unsupportedMediaType(contentType));
        }
        if (RequestBodyLimitFilter.isTooLarge(message.getHeader(SERVLET_REQUEST, HttpServletRequest.class))) {
            throw new RejectedRequestException(ProblemDetails.contentTooLarge(maxRequestBytes));
        }
        byte[] body = message.getBody(byte[].class);
        if (body != null && body.length > maxRequestBytes) {
            // Without the filter (another servlet setup) the body was read whole; still refuse it.
            throw new RejectedRequestException(ProblemDetails.contentTooLarge(maxRequestBytes));
        }
        JsonNode request = parse(body);
        ValidationResult<List<Disposition>> result = validator.validateRequest(request);
        if (!result.isValid()) {
            return doNotCallsOfInvalid(exchange, request, result.violations());
        }
        List<Disposition> dispositions = result.value();
        exchange.setProperty(ACCEPTED_COUNT, dispositions.size());
        LOG.debug("Accepted {} disposition(s) for the dispositions topic", dispositions.size());
        return toTopicRecords(exchange, dispositions);
    }

    /**
     * The do-not-calls of an invalid request that can still suppress, as records as they were sent; with none, the
     * request is refused at once.
     */
    private List<Message> doNotCallsOfInvalid(Exchange exchange, JsonNode request, List<FieldViolation> violations) {
        List<Message> records = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        List<JsonNode> elements = new ArrayList<>();
        // Even an array over the size limit: it is refused unread for publishing, but not for Do Not Call.
        if (request.isArray()) {
            request.forEach(elements::add);
        } else if (request.isObject()) {
            elements.add(request);
        }
        for (int index = 0; index < elements.size(); index++) {
            JsonNode element = elements.get(index);
            ValidationResult<Disposition> checked = validator.validate(element);
            Message record = null;
            if (checked.isValid()) {
                // A valid do-not-call among invalid neighbours: as any valid one, so it is published too (once).
                if (checked.value().disposition() == DispositionCode.DO_NOT_CALL) {
                    record = toTopicRecords(exchange, List.of(checked.value())).get(0);
                }
            } else {
                DoNotCallRequest doNotCall = DoNotCallRequest.read(element, phones).orElse(null);
                if (doNotCall != null) {
                    // As it was sent, so its dead letter shows what the dialer sent.
                    record = new DefaultMessage(exchange.getContext());
                    record.setHeader(KafkaConstants.KEY, doNotCall.numberOnly() ? doNotCall.phone()
                            : doNotCall.personId());
                    record.setHeader(DispositionJson.CONTENT_TYPE_HEADER, JSON);
                    record.setBody(DispositionJson.write(element));
                }
            }
            if (record != null) {
                records.add(record);
                kept.add(request.isArray() ? "[" + index + "]" : "the disposition");
            }
        }
        ProblemDetails refusal = ProblemDetails.invalidDisposition(violations);
        if (records.isEmpty()) {
            throw new RejectedRequestException(refusal);
        }
        LOG.warn("Refused an invalid request, but kept {} DO_NOT_CALL disposition(s) of it for suppression",
                records.size());
        exchange.setProperty(REFUSAL, refusal.withDetail(refusal.detail() + " The request is refused, but "
                + String.join(", ", kept) + " (DO_NOT_CALL) " + (kept.size() == 1 ? "was" : "were")
                + " recorded all the same, so the dialer suppresses the person or number; an invalid one is"
                + " dead-lettered, a valid one published. Correct the request and send it again: each callId is"
                + " published once."));
        return records;
    }

    /**
     * The answer once Kafka has acknowledged every record: 202, or the 400 of an invalid request whose do-not-calls
     * were written all the same. Request headers are not echoed back.
     */
    public void answer(Exchange exchange) {
        ProblemDetails refusal = exchange.getProperty(REFUSAL, ProblemDetails.class);
        if (refusal != null) {
            throw new RejectedRequestException(refusal);
        }
        Message message = exchange.getMessage();
        int count = exchange.getProperty(ACCEPTED_COUNT, 0, Integer.class);
        message.getHeaders().clear();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
        message.setHeader(Exchange.CONTENT_TYPE, JSON);
        message.setBody(DispositionJson.write(Map.of("accepted", count)));
    }

    /** One Kafka message per disposition: key the person id, value the normalised disposition. */
    static List<Message> toTopicRecords(Exchange exchange, List<Disposition> dispositions) {
        List<Message> records = new ArrayList<>(dispositions.size());
        for (Disposition disposition : dispositions) {
            Message record = new DefaultMessage(exchange.getContext());
            record.setHeader(KafkaConstants.KEY, disposition.recordId());
            record.setHeader(DispositionJson.CONTENT_TYPE_HEADER, JSON);
            record.setBody(DispositionJson.write(disposition));
            records.add(record);
        }
        return records;
    }

    /** {@code application/json} with any parameters, in any case; JSON has no other charset than UTF-8 in practice. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
        return mediaType.toLowerCase(Locale.ROOT).equals(JSON);
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw new RejectedRequestException(ProblemDetails.malformedJson());
        }
        try {
            JsonNode node = DispositionJson.MAPPER.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw new RejectedRequestException(ProblemDetails.malformedJson());
            }
            return node;
        } catch (JsonProcessingException malformed) {
            JsonLocation location = malformed.getLocation();
            throw new RejectedRequestException(location == null ? ProblemDetails.malformedJson()
                    : ProblemDetails.malformedJson(location.getLineNr(), location.getColumnNr()));
        } catch (IOException unreadable) {
            throw new RejectedRequestException(ProblemDetails.malformedJson());
        }
    }
}
