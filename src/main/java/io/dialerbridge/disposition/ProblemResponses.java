package io.dialerbridge.disposition;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the intake's {@code application/problem+json} answers from the exception that ended the exchange: the refusal
 * a {@link RejectedRequestException} carries, 503 when Kafka could not take the dispositions, 500 otherwise.
 */
public class ProblemResponses {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemResponses.class);

    /** Answers a refused request with its problem; refusals are the client's business and logged at DEBUG only. */
    public void reject(Exchange exchange) {
        RejectedRequestException rejected = exchange.getProperty(Exchange.EXCEPTION_CAUGHT,
                RejectedRequestException.class);
        if (rejected == null) {
            failed(exchange);
            return;
        }
        LOG.debug("Refused a dispositions request: {}", rejected.getMessage());
        write(exchange.getMessage(), rejected.problem(), rejected.responseHeaders());
    }

    /** Answers a request the bridge could not complete: 503 when Kafka failed, so the dialer retries; else 500. */
    public void failed(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (isKafkaUnavailable(cause)) {
            // The class and message of a Kafka failure name brokers and timeouts, never record content.
            LOG.warn("Dispositions could not be handed to Kafka: {}", describe(cause));
            write(exchange.getMessage(), ProblemDetails.intakeUnavailable(),
                    Map.of("Retry-After", Integer.toString(ProblemDetails.RETRY_AFTER_SECONDS)));
        } else {
            LOG.error("Dispositions request failed unexpectedly", cause);
            write(exchange.getMessage(), ProblemDetails.internalError(), Map.of());
        }
    }

    static boolean isKafkaUnavailable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof KafkaException || cause instanceof TimeoutException
                    || cause instanceof ExecutionException) {
                return true;
            }
        }
        return false;
    }

    static void write(Message message, ProblemDetails problem, Map<String, String> headers) {
        // Nothing of the request travels back: not its headers, not its body.
        message.getHeaders().clear();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, problem.status());
        message.setHeader(Exchange.CONTENT_TYPE, ProblemDetails.MEDIA_TYPE);
        headers.forEach(message::setHeader);
        message.setBody(DispositionJson.write(problem.toMap()));
    }

    private static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
