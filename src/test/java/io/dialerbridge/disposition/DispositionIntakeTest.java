package io.dialerbridge.disposition;

import static io.dialerbridge.disposition.DispositionFixtures.LEAD;
import static io.dialerbridge.disposition.DispositionFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dialerbridge.command.phone.PhoneNormalizer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.mock.web.MockHttpServletRequest;

class DispositionIntakeTest {

    private static final String KEY = "0123456789abcdef";

    private final CamelContext camel = new DefaultCamelContext();
    private static final PhoneNormalizer PHONES = new PhoneNormalizer("US");

    private final DispositionIntake intake = new DispositionIntake(ApiKeyAuthenticator.fromCommaSeparated(KEY),
            new DispositionValidator(3), PHONES, 1000);

    @AfterEach
    void close() throws Exception {
        camel.close();
    }

    private Exchange request(String body, String contentType) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getIn().setBody(body == null ? null : body.getBytes(StandardCharsets.UTF_8));
        exchange.getIn().setHeader(Exchange.CONTENT_TYPE, contentType);
        exchange.getIn().setHeader("Authorization", "Bearer " + KEY);
        exchange.getIn().setHeader(DispositionIntake.SERVLET_REQUEST, new MockHttpServletRequest());
        return exchange;
    }

    private static ProblemDetails problemOf(Runnable step) {
        try {
            step.run();
        } catch (RejectedRequestException rejected) {
            return rejected.problem();
        }
        throw new AssertionError("the request was not refused");
    }

    @Nested
    class Authentication {

        @Test
        void aConfiguredKeyPassesAndTheHeaderIsDropped() {
            Exchange exchange = request("{}", "application/json");

            intake.authenticate(exchange);

            assertThat(exchange.getIn().getHeader("Authorization")).isNull();
        }

        @Test
        void withoutConfiguredKeysEveryRequestIsA401() {
            DispositionIntake closed = new DispositionIntake(null, new DispositionValidator(), PHONES, 1000);

            assertThat(problemOf(() -> closed.authenticate(request("{}", "application/json"))).status())
                    .isEqualTo(401);
        }

        @Test
        void anyOtherIsA401WithTheChallenge() {
            Exchange exchange = request("{}", "application/json");
            exchange.getIn().setHeader("Authorization", "Bearer 0123456789abcdeX");

            assertThatThrownBy(() -> intake.authenticate(exchange))
                    .isInstanceOfSatisfying(RejectedRequestException.class, rejected -> {
                        assertThat(rejected.problem().status()).isEqualTo(401);
                        assertThat(rejected.responseHeaders())
                                .containsEntry("WWW-Authenticate", ProblemDetails.WWW_AUTHENTICATE);
                    });
            assertThat(exchange.getIn().getHeader("Authorization")).isNull();
        }
    }

    @Nested
    class Reading {

        @Test
        void oneDispositionBecomesOneRecordKeyedByThePersonInItsLongForm() throws Exception {
            String body = json("c-1", "BUSY").replace(LEAD, LEAD.substring(0, 15));
            Exchange exchange = request(body, "application/json; charset=UTF-8");

            List<Message> records = intake.read(exchange);

            assertThat(records).hasSize(1);
            assertThat(records.get(0).getHeader(KafkaConstants.KEY)).isEqualTo(LEAD);
            assertThat(records.get(0).getHeader("content-type")).isEqualTo("application/json");
            Disposition written = DispositionJson.MAPPER.readValue(records.get(0).getBody(String.class),
                    Disposition.class);
            assertThat(written.callId()).isEqualTo("c-1");
            assertThat(written.recordId()).isEqualTo(LEAD);
            assertThat(exchange.getProperty(DispositionIntake.ACCEPTED_COUNT)).isEqualTo(1);
        }

        @Test
        void anArrayBecomesOneRecordPerDisposition() {
            String body = "[" + json("c-1", "BUSY") + "," + json("c-2", "NO_ANSWER") + "]";

            assertThat(intake.read(request(body, "application/json"))).hasSize(2);
        }

        @ParameterizedTest
        @ValueSource(strings = {"text/plain", "application/jsonx", "application/x-www-form-urlencoded", ""})
        void anythingButJsonIs415(String contentType) {
            Exchange exchange = request(json("c-1", "BUSY"), contentType);

            assertThat(problemOf(() -> intake.read(exchange)).status()).isEqualTo(415);
        }

        @Test
        void aMissingContentTypeIs415() {
            assertThat(problemOf(() -> intake.read(request(json("c-1", "BUSY"), null))).status()).isEqualTo(415);
        }

        @Test
        void aBodyTheFilterFoundTooLargeIs413() {
            Exchange exchange = request("{}", "application/json");
            MockHttpServletRequest servlet = new MockHttpServletRequest();
            servlet.setAttribute(RequestBodyLimitFilter.TOO_LARGE, Boolean.TRUE);
            exchange.getIn().setHeader(DispositionIntake.SERVLET_REQUEST, servlet);

            assertThat(problemOf(() -> intake.read(exchange)).status()).isEqualTo(413);
        }

        @Test
        void aBodyOverTheLimitIs413EvenWithoutTheFilter() {
            Exchange exchange = request("[" + "1,".repeat(600) + "1]", "application/json");

            assertThat(problemOf(() -> intake.read(exchange)).status()).isEqualTo(413);
        }

        @ParameterizedTest
        @ValueSource(strings = {"{\"callId\": ", "", "{} trailing", "nope"})
        void aBodyThatIsNotJsonIsMalformed(String body) {
            ProblemDetails problem = problemOf(() -> intake.read(request(body, "application/json")));

            assertThat(problem.status()).isEqualTo(400);
            assertThat(problem.type()).isEqualTo(ProblemDetails.MALFORMED_JSON);
        }

        @Test
        void invalidDispositionsAre400NamingEveryField() {
            String body = "[" + json("c-1", "BUSY") + ", {\"callId\": \"c-2\"}]";

            ProblemDetails problem = problemOf(() -> intake.read(request(body, "application/json")));

            assertThat(problem.type()).isEqualTo(ProblemDetails.INVALID_DISPOSITION);
            assertThat(problem.errors()).extracting(FieldViolation::field)
                    .containsExactlyInAnyOrder("[1].recordId", "[1].disposition");
        }

        @Test
        void anInvalidDoNotCallIsStillWrittenAndTheRequestAnswered400NamingItsFields() {
            String tooLong = json("c-2", "DO_NOT_CALL").replace("\"notes\": \"call back\"",
                    "\"notes\": \"" + "x".repeat(4001) + "\"");
            String body = "[" + json("c-1", "BUSY") + ", " + tooLong + "]";
            Exchange exchange = request(body, "application/json");
            DispositionIntake intake = new DispositionIntake(ApiKeyAuthenticator.fromCommaSeparated(KEY),
                    new DispositionValidator(3), PHONES, 100_000);

            List<Message> records = intake.read(exchange);

            // The valid BUSY is not accepted (all or nothing); the DO_NOT_CALL goes to the topic as it was sent.
            assertThat(records).hasSize(1);
            assertThat(records.get(0).getHeader(KafkaConstants.KEY)).isEqualTo(LEAD);
            assertThat(records.get(0).getBody(String.class)).contains("\"callId\":\"c-2\"", "x".repeat(4001));
            ProblemDetails problem = problemOf(() -> intake.answer(exchange));
            assertThat(problem.status()).isEqualTo(400);
            assertThat(problem.errors()).extracting(FieldViolation::field).containsExactly("[1].notes");
            assertThat(problem.detail()).contains("[1] (DO_NOT_CALL) was recorded all the same");
        }

        @Test
        void aValidDoNotCallInAnInvalidRequestIsStillWrittenAsAnyValidOne() {
            String body = "[" + json("c-5", "DO_NOT_CALL").replace(LEAD, LEAD.substring(0, 15)) + ", "
                    + "{\"callId\": \"c-6\"}]";
            Exchange exchange = request(body, "application/json");
            DispositionIntake intake = new DispositionIntake(ApiKeyAuthenticator.fromCommaSeparated(KEY),
                    new DispositionValidator(3), PHONES, 100_000);

            List<Message> records = intake.read(exchange);

            assertThat(records).singleElement().satisfies(record -> {
                assertThat(record.getHeader(KafkaConstants.KEY)).isEqualTo(LEAD);
                assertThat(record.getBody(String.class)).contains("\"recordId\":\"" + LEAD + "\"");
            });
            assertThat(problemOf(() -> intake.answer(exchange)).detail()).contains("[0] (DO_NOT_CALL) was recorded");
        }

        @Test
        void anInvalidDoNotCallWithOnlyAPhoneIsWrittenKeyedByTheNumber() {
            String body = json("c-3", "DO_NOT_CALL").replace(LEAD, "not-an-id")
                    .replace("\"+14155550134\"", "\"(415) 555-0134\"");
            Exchange exchange = request(body, "application/json");

            List<Message> records = intake.read(exchange);

            assertThat(records).singleElement()
                    .satisfies(record -> assertThat(record.getHeader(KafkaConstants.KEY)).isEqualTo("+14155550134"));
            assertThat(problemOf(() -> intake.answer(exchange)).errors()).extracting(FieldViolation::field)
                    .containsExactlyInAnyOrder("recordId", "phone");
        }

        @Test
        void anInvalidDoNotCallWithNeitherPersonNorPhoneIsRefusedAtOnce() {
            String body = json("c-4", "DO_NOT_CALL").replace(LEAD, "not-an-id").replace("\"+14155550134\"",
                    "\"no number\"");

            ProblemDetails problem = problemOf(() -> intake.read(request(body, "application/json")));

            assertThat(problem.status()).isEqualTo(400);
        }

        @Test
        void moreDispositionsThanTheBatchLimitAre400() {
            String one = json("c", "BUSY");
            String body = "[" + String.join(",", one, one, one, one) + "]";

            ProblemDetails problem = problemOf(() -> new DispositionIntake(
                    ApiKeyAuthenticator.fromCommaSeparated(KEY), new DispositionValidator(3), PHONES, 100_000)
                    .read(request(body, "application/json")));

            assertThat(problem.status()).isEqualTo(400);
            assertThat(problem.errors()).extracting(FieldViolation::field).containsExactly("$");
        }
    }

    @Test
    void acceptedIsA202WithTheCountAndNoRequestHeaders() {
        Exchange exchange = request("{}", "application/json");
        exchange.getIn().setHeader("User-Agent", "dialer");
        exchange.setProperty(DispositionIntake.ACCEPTED_COUNT, 7);

        intake.answer(exchange);

        Message answer = exchange.getMessage();
        assertThat(answer.getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(202);
        assertThat(answer.getHeader(Exchange.CONTENT_TYPE)).isEqualTo("application/json");
        assertThat(answer.getHeaders()).containsOnlyKeys(Exchange.HTTP_RESPONSE_CODE, Exchange.CONTENT_TYPE);
        assertThat(answer.getBody(String.class)).isEqualTo("{\"accepted\":7}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "Application/JSON", " application/json ; charset=utf-8"})
    void jsonInAnyCaseWithParametersIsJson(String contentType) {
        assertThat(DispositionIntake.isJson(contentType)).isTrue();
    }
}
