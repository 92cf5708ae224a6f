package io.dialerbridge.disposition;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProblemResponsesTest {

    private final CamelContext camel = new DefaultCamelContext();
    private final ProblemResponses responses = new ProblemResponses();

    @AfterEach
    void close() throws Exception {
        camel.close();
    }

    private Exchange failedWith(Exception failure) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getIn().setHeader("Authorization", "Bearer secret-secret-secret");
        exchange.getIn().setBody("{\"notes\": \"private\"}");
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, failure);
        return exchange;
    }

    private static JsonNode body(Exchange exchange) throws Exception {
        return DispositionJson.MAPPER.readTree(exchange.getMessage().getBody(String.class));
    }

    @Test
    void aRefusalIsAnsweredWithItsProblemAndHeadersOnly() throws Exception {
        Exchange exchange = failedWith(new RejectedRequestException(ProblemDetails.unauthorized(),
                Map.of("WWW-Authenticate", ProblemDetails.WWW_AUTHENTICATE)));

        responses.reject(exchange);

        assertThat(exchange.getMessage().getHeaders()).containsOnlyKeys(Exchange.HTTP_RESPONSE_CODE,
                Exchange.CONTENT_TYPE, "WWW-Authenticate");
        assertThat(exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(401);
        assertThat(exchange.getMessage().getHeader(Exchange.CONTENT_TYPE)).isEqualTo("application/problem+json");
        assertThat(body(exchange).get("type").asText()).isEqualTo(ProblemDetails.UNAUTHORIZED.toString());
        assertThat(exchange.getMessage().getBody(String.class)).doesNotContain("private");
    }

    @Test
    void kafkaNotTakingTheDispositionsIsA503WithRetryAfter() throws Exception {
        Exchange exchange = failedWith(new ExecutionException(new TimeoutException("Expiring 3 record(s)")));

        responses.failed(exchange);

        assertThat(exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(503);
        assertThat(exchange.getMessage().getHeader("Retry-After")).isEqualTo("5");
        assertThat(body(exchange).get("type").asText()).isEqualTo(ProblemDetails.INTAKE_UNAVAILABLE.toString());
    }

    @Test
    void anythingElseIsA500() throws Exception {
        Exchange exchange = failedWith(new IllegalStateException("bug"));

        responses.failed(exchange);

        assertThat(exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(500);
        assertThat(body(exchange).get("type").asText()).isEqualTo(ProblemDetails.INTERNAL_ERROR.toString());
        assertThat(exchange.getMessage().getBody(String.class)).doesNotContain("bug");
    }
}
