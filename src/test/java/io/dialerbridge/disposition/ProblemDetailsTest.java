package io.dialerbridge.disposition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ProblemDetailsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Nested
    class Validation {

        private final ProblemDetails problem = ProblemDetails.invalidDisposition(List.of(
                new FieldViolation("[0].recordId", "is required"),
                new FieldViolation("[2].phone", "must be an E.164 number such as +14155550134")));

        @Test
        void serialisesInRfc9457OrderWithErrors() throws Exception {
            assertThat(JSON.writeValueAsString(problem)).isEqualTo("{"
                    + "\"type\":\"https://dialer-bridge.io/problems/invalid-disposition\","
                    + "\"title\":\"Invalid disposition\","
                    + "\"status\":400,"
                    + "\"detail\":\"2 fields failed validation.\","
                    + "\"errors\":["
                    + "{\"field\":\"[0].recordId\",\"message\":\"is required\"},"
                    + "{\"field\":\"[2].phone\",\"message\":\"must be an E.164 number such as +14155550134\"}]}");
        }

        @Test
        void givesTheSameOrderedMap() throws Exception {
            Map<String, Object> map = problem.toMap();

            assertThat(map.keySet()).containsExactly("type", "title", "status", "detail", "errors");
            assertThat(JSON.writeValueAsString(map)).isEqualTo(JSON.writeValueAsString(problem));
        }

        @Test
        void countsASingleViolation() {
            assertThat(ProblemDetails.invalidDisposition(List.of(new FieldViolation("callId", "is required")))
                    .detail()).isEqualTo("1 field failed validation.");
        }

        @Test
        void needsAtLeastOneViolation() {
            assertThatThrownBy(() -> ProblemDetails.invalidDisposition(List.of()))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void carriesTheValidatorsViolations() {
            ValidationResult<Disposition> result = new DispositionValidator()
                    .validate(JSON.createObjectNode().put("callId", "c-1"));

            assertThat(ProblemDetails.invalidDisposition(result.violations()).errors())
                    .extracting(FieldViolation::field).containsExactly("recordId", "disposition");
        }
    }

    @Nested
    class OtherProblems {

        @Test
        void malformedJson() throws Exception {
            assertShape(ProblemDetails.malformedJson(), "malformed-json", "Malformed JSON", 400);
            assertThat(ProblemDetails.malformedJson(3, 17).detail()).contains("line 3, column 17");
        }

        @Test
        void unauthorized() throws Exception {
            assertShape(ProblemDetails.unauthorized(), "unauthorized", "Unauthorized", 401);
            assertThat(ProblemDetails.WWW_AUTHENTICATE).startsWith("Bearer ");
        }

        @Test
        void contentTooLarge() throws Exception {
            ProblemDetails problem = ProblemDetails.contentTooLarge(1_048_576);

            assertShape(problem, "content-too-large", "Content too large", 413);
            assertThat(problem.detail()).contains("1048576 bytes");
        }

        @Test
        void unsupportedMediaType() throws Exception {
            ProblemDetails problem = ProblemDetails.unsupportedMediaType("text/plain");

            assertShape(problem, "unsupported-media-type", "Unsupported media type", 415);
            assertThat(problem.detail()).isEqualTo("Content-Type must be application/json; got text/plain.");
            assertThat(ProblemDetails.unsupportedMediaType(null).detail()).endsWith("got none.");
        }

        @Test
        void unsupportedMediaTypeCutsAndCleansWhatItEchoes() {
            String detail = ProblemDetails.unsupportedMediaType("text/x\r\nSet-Cookie: a=b" + "x".repeat(500))
                    .detail();

            assertThat(detail).doesNotContain("\r", "\n").hasSizeLessThan(200);
        }

        @Test
        void everyTypeIsDistinctAndUnderTheBase() {
            List<URI> types = Stream.of(ProblemDetails.INVALID_DISPOSITION, ProblemDetails.MALFORMED_JSON,
                    ProblemDetails.UNAUTHORIZED, ProblemDetails.CONTENT_TOO_LARGE,
                    ProblemDetails.UNSUPPORTED_MEDIA_TYPE).toList();

            assertThat(types).doesNotHaveDuplicates()
                    .allSatisfy(type -> assertThat(type.toString()).startsWith(ProblemDetails.TYPE_BASE));
            assertThat(ProblemDetails.MEDIA_TYPE).isEqualTo("application/problem+json");
        }

        private void assertShape(ProblemDetails problem, String slug, String title, int status) throws Exception {
            JsonNode json = JSON.readTree(JSON.writeValueAsString(problem));

            assertThat(json.properties()).extracting(Map.Entry::getKey)
                    .containsExactly("type", "title", "status", "detail");
            assertThat(json.get("type").asText()).isEqualTo("https://dialer-bridge.io/problems/" + slug);
            assertThat(json.get("title").asText()).isEqualTo(title);
            assertThat(json.get("status").asInt()).isEqualTo(status);
            assertThat(json.get("detail").asText()).isNotBlank();
            assertThat(problem.toMap()).doesNotContainKey("errors").containsEntry("status", status);
        }
    }
}
