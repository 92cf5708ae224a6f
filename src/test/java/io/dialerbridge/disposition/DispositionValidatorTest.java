package io.dialerbridge.disposition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class DispositionValidatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The contract's own example (section 6). */
    private static final String CONTRACT_EXAMPLE = """
            {
              "callId": "c-2026-11-27-000123",
              "recordId": "00Q5f000004XyZaEAK",
              "disposition": "FOLLOW_UP_LATER",
              "phone": "+14155550134",
              "campaignId": "7015f000000AbCdAAK",
              "agentId": "agent-42",
              "startedAt": "2026-11-27T15:04:05Z",
              "endedAt": "2026-11-27T15:06:10Z",
              "durationSeconds": 125,
              "callbackAt": "2026-11-28T17:00:00Z",
              "notes": "Asked to call back tomorrow afternoon"
            }
            """;

    private final DispositionValidator validator = new DispositionValidator();

    private static ObjectNode example() {
        try {
            return (ObjectNode) JSON.readTree(CONTRACT_EXAMPLE);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The least a disposition can be: the three required fields. */
    private static ObjectNode minimal() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("callId", "c-1");
        node.put("recordId", "0035f000001AbCdAAK");
        node.put("disposition", "NO_ANSWER");
        return node;
    }

    private Disposition accepted(JsonNode node) {
        ValidationResult<Disposition> result = validator.validate(node);
        assertThat(result.violations()).isEmpty();
        assertThat(result.isValid()).isTrue();
        return result.value();
    }

    private List<FieldViolation> refused(JsonNode node) {
        ValidationResult<Disposition> result = validator.validate(node);
        assertThat(result.isValid()).isFalse();
        assertThat(result.value()).isNull();
        return result.violations();
    }

    private void assertOnlyViolation(JsonNode node, String field, String messageFragment) {
        assertThat(refused(node)).singleElement().satisfies(violation -> {
            assertThat(violation.field()).isEqualTo(field);
            assertThat(violation.message()).contains(messageFragment);
        });
    }

    @Nested
    class WholeDocument {

        @Test
        void acceptsTheContractExampleWithEveryField() {
            Disposition disposition = accepted(example());

            assertThat(disposition).isEqualTo(new Disposition("c-2026-11-27-000123", "00Q5f000004XyZaEAK",
                    DispositionCode.FOLLOW_UP_LATER, "+14155550134", "7015f000000AbCdAAK", "agent-42",
                    Instant.parse("2026-11-27T15:04:05Z"), Instant.parse("2026-11-27T15:06:10Z"), 125L,
                    Instant.parse("2026-11-28T17:00:00Z"), "Asked to call back tomorrow afternoon"));
        }

        @Test
        void acceptsOnlyTheRequiredFields() {
            Disposition disposition = accepted(minimal());

            assertThat(disposition.phone()).isNull();
            assertThat(disposition.campaignId()).isNull();
            assertThat(disposition.durationSeconds()).isNull();
            assertThat(disposition.notes()).isNull();
        }

        @Test
        void ignoresUnknownFieldsForForwardCompatibility() {
            ObjectNode node = minimal();
            node.put("dialerVersion", "7.2");
            node.putObject("recording").put("url", "https://example.invalid/r/1");

            assertThat(accepted(node).callId()).isEqualTo("c-1");
        }

        @Test
        void treatsJsonNullAsAbsent() {
            ObjectNode node = minimal();
            node.putNull("phone");
            node.putNull("notes");
            node.putNull("durationSeconds");

            assertThat(accepted(node).phone()).isNull();
        }

        @ParameterizedTest
        @ValueSource(strings = {"[]", "\"text\"", "42", "null", "true"})
        void refusesAnythingButAnObjectOnTheRoot(String json) throws Exception {
            assertOnlyViolation(JSON.readTree(json), "$", "must be a JSON object");
        }

        @Test
        void refusesAMissingDocument() {
            assertOnlyViolation(null, "$", "must be a JSON object");
        }

        @Test
        void reportsEveryBadFieldTogether() {
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            node.put("recordId", "0015f000001AbCdAAK");
            node.put("disposition", "DO_NOT_CALL");
            node.put("campaignId", 701);
            node.put("agentId", "a".repeat(256));
            node.put("startedAt", "2026-11-27T15:06:10Z");
            node.put("endedAt", "2026-11-27T15:04:05Z");
            node.put("durationSeconds", -1);
            node.put("callbackAt", "tomorrow");
            node.put("notes", "n".repeat(4_001));

            assertThat(refused(node)).extracting(FieldViolation::field).containsExactly(
                    "callId", "recordId", "phone", "campaignId", "agentId", "endedAt", "durationSeconds",
                    "callbackAt", "notes");
        }

        @Test
        void neverEchoesValuesInMessages() {
            ObjectNode node = minimal();
            node.put("phone", "+1-415-555-0134");
            node.put("notes", "SECRET".repeat(1_000));

            assertThat(refused(node)).allSatisfy(violation -> {
                assertThat(violation.message()).doesNotContain("415-555").doesNotContain("SECRET");
            });
        }
    }

    @Nested
    class CallId {

        @Test
        void acceptsUpTo255Characters() {
            ObjectNode node = minimal();
            node.put("callId", "c".repeat(255));

            assertThat(accepted(node).callId()).hasSize(255);
        }

        @Test
        void refusesMoreThan255Characters() {
            ObjectNode node = minimal();
            node.put("callId", "c".repeat(256));

            assertOnlyViolation(node, "callId", "at most 255 characters");
        }

        @Test
        void isRequired() {
            ObjectNode node = minimal();
            node.remove("callId");

            assertOnlyViolation(node, "callId", "is required");
        }

        @Test
        void refusesNull() {
            ObjectNode node = minimal();
            node.putNull("callId");

            assertOnlyViolation(node, "callId", "is required");
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "   ", "\t\n"})
        void refusesBlank(String blank) {
            ObjectNode node = minimal();
            node.put("callId", blank);

            assertOnlyViolation(node, "callId", "must not be blank");
        }

        @Test
        void refusesANumber() {
            ObjectNode node = minimal();
            node.put("callId", 123);

            assertOnlyViolation(node, "callId", "must be a string");
        }
    }

    @Nested
    class RecordId {

        @ParameterizedTest
        @ValueSource(strings = {"00Q5f000004XyZaEAK", "0035f000001AbCdAAK"})
        void acceptsLeadAndContactIdsWithTheirChecksum(String id) {
            ObjectNode node = minimal();
            node.put("recordId", id);

            assertThat(accepted(node).recordId()).isEqualTo(id);
        }

        @Test
        void acceptsTheFifteenCharacterFormAndReturnsTheEighteenCharacterForm() {
            ObjectNode node = minimal();
            node.put("recordId", "00Q5f000004XyZa");

            assertThat(accepted(node).recordId()).isEqualTo("00Q5f000004XyZaEAK");
        }

        @Test
        void isRequired() {
            ObjectNode node = minimal();
            node.remove("recordId");

            assertOnlyViolation(node, "recordId", "is required");
        }

        @ParameterizedTest
        @ValueSource(strings = {"0015f000001AbCdAAK", "7015f000000AbCdAAK", "00q5f000004XyZa"})
        void refusesIdsOfOtherObjects(String id) {
            ObjectNode node = minimal();
            node.put("recordId", id);

            assertOnlyViolation(node, "recordId", "must be a Lead (00Q) or Contact (003) id");
        }

        @ParameterizedTest
        @ValueSource(strings = {"00Q5f000004XyZ", "00Q5f000004XyZaE", "00Q5f000004XyZaEA", "00Q5f000004XyZaEAKX"})
        void refusesOtherLengths(String id) {
            ObjectNode node = minimal();
            node.put("recordId", id);

            assertOnlyViolation(node, "recordId", "15 or 18 characters");
        }

        @Test
        void refusesAWrongChecksum() {
            ObjectNode node = minimal();
            node.put("recordId", "00Q5f000004XyZaAAA");

            assertOnlyViolation(node, "recordId", "checksum");
        }

        @Test
        void refusesAnIdWhoseCaseWasChanged() {
            ObjectNode node = minimal();
            node.put("recordId", "00Q5F000004XYZAEAK");

            assertOnlyViolation(node, "recordId", "checksum");
        }

        @Test
        void refusesCharactersOutsideBase62() {
            ObjectNode node = minimal();
            node.put("recordId", "00Q5f000004XyZ-");

            assertOnlyViolation(node, "recordId", "only letters and digits");
        }

        @Test
        void refusesANonString() {
            ObjectNode node = minimal();
            node.putArray("recordId").add("00Q5f000004XyZaEAK");

            assertOnlyViolation(node, "recordId", "must be a string");
        }
    }

    @Nested
    class DispositionValue {

        @ParameterizedTest
        @EnumSource(DispositionCode.class)
        void acceptsEveryCode(DispositionCode code) {
            ObjectNode node = minimal();
            node.put("disposition", code.name());
            node.put("phone", "+14155550134");
            node.put("callbackAt", "2026-11-28T17:00:00Z");

            assertThat(accepted(node).disposition()).isEqualTo(code);
        }

        @Test
        void containsExactlyTheContractCodes() {
            assertThat(DispositionCode.values()).extracting(Enum::name).containsExactly("INTERESTED",
                    "NOT_INTERESTED", "DO_NOT_CALL", "FOLLOW_UP_LATER", "NO_ANSWER", "BUSY", "VOICEMAIL",
                    "WRONG_NUMBER", "ANSWERING_MACHINE", "INVALID_NUMBER", "ABANDONED");
        }

        @ParameterizedTest
        @ValueSource(strings = {"MAYBE", "no_answer", " NO_ANSWER", ""})
        void refusesAnythingElse(String value) {
            ObjectNode node = minimal();
            node.put("disposition", value);

            assertOnlyViolation(node, "disposition", "must be one of INTERESTED, NOT_INTERESTED");
        }

        @Test
        void isRequired() {
            ObjectNode node = minimal();
            node.remove("disposition");

            assertOnlyViolation(node, "disposition", "is required");
        }

        @Test
        void refusesANumber() {
            ObjectNode node = minimal();
            node.put("disposition", 3);

            assertOnlyViolation(node, "disposition", "must be a string");
        }
    }

    @Nested
    class Phone {

        @ParameterizedTest
        @ValueSource(strings = {"+14155550134", "+442071838750", "+12", "+123456789012345"})
        void acceptsE164(String phone) {
            ObjectNode node = minimal();
            node.put("phone", phone);

            assertThat(accepted(node).phone()).isEqualTo(phone);
        }

        @ParameterizedTest
        @ValueSource(strings = {"14155550134", "+04155550134", "+1 415 555 0134", "(415) 555-0134", "+1",
            "+1234567890123456", "+14155550134\n", "+1415555013４"})
        void refusesAnythingElse(String phone) {
            ObjectNode node = minimal();
            node.put("phone", phone);

            assertOnlyViolation(node, "phone", "E.164");
        }

        @Test
        void isOptionalForOtherDispositions() {
            assertThat(accepted(minimal()).phone()).isNull();
        }

        @Test
        void isRequiredForDoNotCall() {
            ObjectNode node = minimal();
            node.put("disposition", "DO_NOT_CALL");

            assertOnlyViolation(node, "phone", "is required when disposition is DO_NOT_CALL");
        }

        @Test
        void satisfiesDoNotCallWhenPresent() {
            ObjectNode node = minimal();
            node.put("disposition", "DO_NOT_CALL");
            node.put("phone", "+14155550134");

            assertThat(accepted(node).disposition()).isEqualTo(DispositionCode.DO_NOT_CALL);
        }

        @Test
        void mustStillBeE164ForDoNotCall() {
            ObjectNode node = minimal();
            node.put("disposition", "DO_NOT_CALL");
            node.put("phone", "4155550134");

            assertOnlyViolation(node, "phone", "E.164");
        }

        @Test
        void refusesANumber() {
            ObjectNode node = minimal();
            node.put("phone", 14155550134L);

            assertOnlyViolation(node, "phone", "must be a string");
        }
    }

    @Nested
    class CampaignId {

        @Test
        void acceptsACampaignId() {
            ObjectNode node = minimal();
            node.put("campaignId", "7015f000000AbCdAAK");

            assertThat(accepted(node).campaignId()).isEqualTo("7015f000000AbCdAAK");
        }

        @Test
        void returnsTheEighteenCharacterForm() {
            ObjectNode node = minimal();
            node.put("campaignId", "7015f000000AbCd");

            assertThat(accepted(node).campaignId()).isEqualTo("7015f000000AbCdAAK");
        }

        @Test
        void refusesAnotherObjectsId() {
            ObjectNode node = minimal();
            node.put("campaignId", "00Q5f000004XyZaEAK");

            assertOnlyViolation(node, "campaignId", "must be a Campaign (701) id");
        }

        @Test
        void refusesAWrongChecksum() {
            ObjectNode node = minimal();
            node.put("campaignId", "7015f000000AbCdAAA");

            assertOnlyViolation(node, "campaignId", "checksum");
        }

        @Test
        void refusesAWrongLength() {
            ObjectNode node = minimal();
            node.put("campaignId", "701");

            assertOnlyViolation(node, "campaignId", "15 or 18 characters");
        }
    }

    @Nested
    class AgentId {

        @Test
        void acceptsUpTo255Characters() {
            ObjectNode node = minimal();
            node.put("agentId", "a".repeat(255));

            assertThat(accepted(node).agentId()).hasSize(255);
        }

        @Test
        void refusesMoreThan255Characters() {
            ObjectNode node = minimal();
            node.put("agentId", "a".repeat(256));

            assertOnlyViolation(node, "agentId", "at most 255 characters");
        }

        @Test
        void refusesANumber() {
            ObjectNode node = minimal();
            node.put("agentId", 42);

            assertOnlyViolation(node, "agentId", "must be a string");
        }
    }

    @Nested
    class Timestamps {

        @ParameterizedTest
        @ValueSource(strings = {"2026-11-27T15:04:05Z", "2026-11-27T16:04:05+01:00", "2026-11-27T10:04:05-05:00",
            "2026-11-27T15:04:05.000Z", "2026-11-27t15:04:05z"})
        void acceptsRfc3339WithAnyOffset(String timestamp) {
            ObjectNode node = minimal();
            node.put("startedAt", timestamp);

            assertThat(accepted(node).startedAt()).isEqualTo(Instant.parse("2026-11-27T15:04:05Z"));
        }

        @Test
        void keepsFractionalSeconds() {
            ObjectNode node = minimal();
            node.put("endedAt", "2026-11-27T15:04:05.123456Z");

            assertThat(accepted(node).endedAt()).isEqualTo(Instant.parse("2026-11-27T15:04:05.123456Z"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"2026-11-27T15:04:05", "2026-11-27T15:04Z", "2026-11-27", "2026-02-30T10:00:00Z",
            "2026-11-27T25:00:00Z", "1764255845", "27/11/2026 15:04:05", "2026-11-27T15:04:05+0100",
            "2026-11-27T15:04:05.1234567891Z"})
        void refusesAnythingElse(String timestamp) {
            for (String field : List.of("startedAt", "endedAt", "callbackAt")) {
                ObjectNode node = minimal();
                node.put(field, timestamp);

                assertOnlyViolation(node, field, "RFC 3339");
            }
        }

        @Test
        void refusesANumber() {
            ObjectNode node = minimal();
            node.put("startedAt", 1764255845L);

            assertOnlyViolation(node, "startedAt", "must be a string");
        }

        @Test
        void acceptsAStartEqualToTheEnd() {
            ObjectNode node = minimal();
            node.put("startedAt", "2026-11-27T15:04:05Z");
            node.put("endedAt", "2026-11-27T15:04:05Z");

            assertThat(accepted(node).endedAt()).isEqualTo(Instant.parse("2026-11-27T15:04:05Z"));
        }

        @Test
        void comparesInstantsNotText() {
            ObjectNode node = minimal();
            node.put("startedAt", "2026-11-27T16:00:00+02:00");
            node.put("endedAt", "2026-11-27T15:00:00Z");

            assertThat(accepted(node).endedAt()).isAfter(accepted(node).startedAt());
        }

        @Test
        void refusesAnEndBeforeTheStart() {
            ObjectNode node = minimal();
            node.put("startedAt", "2026-11-27T15:06:10Z");
            node.put("endedAt", "2026-11-27T15:04:05Z");

            assertOnlyViolation(node, "endedAt", "must not be before startedAt");
        }

        @Test
        void acceptsAStartOrEndAlone() {
            ObjectNode started = minimal();
            started.put("startedAt", "2026-11-27T15:06:10Z");
            ObjectNode ended = minimal();
            ended.put("endedAt", "2026-11-27T15:04:05Z");

            assertThat(accepted(started).startedAt()).isNotNull();
            assertThat(accepted(ended).endedAt()).isNotNull();
        }
    }

    @Nested
    class CallbackAt {

        @Test
        void isRequiredForFollowUpLater() {
            ObjectNode node = example();
            node.remove("callbackAt");

            assertOnlyViolation(node, "callbackAt", "is required when disposition is FOLLOW_UP_LATER");
        }

        @Test
        void refusesNullForFollowUpLater() {
            ObjectNode node = example();
            node.putNull("callbackAt");

            assertOnlyViolation(node, "callbackAt", "is required when disposition is FOLLOW_UP_LATER");
        }

        @Test
        void isOptionalForOtherDispositions() {
            ObjectNode node = example();
            node.remove("callbackAt");
            node.put("disposition", "INTERESTED");

            assertThat(accepted(node).callbackAt()).isNull();
        }

        @Test
        void isKeptForOtherDispositions() {
            ObjectNode node = minimal();
            node.put("callbackAt", "2026-11-28T17:00:00Z");

            assertThat(accepted(node).callbackAt()).isEqualTo(Instant.parse("2026-11-28T17:00:00Z"));
        }
    }

    @Nested
    class DurationSeconds {

        @Test
        void acceptsZero() {
            ObjectNode node = minimal();
            node.put("durationSeconds", 0);

            assertThat(accepted(node).durationSeconds()).isZero();
        }

        @Test
        void acceptsAWholeNumberWrittenWithAFraction() throws Exception {
            ObjectNode node = minimal();
            node.set("durationSeconds", JSON.readTree("125.0"));

            assertThat(accepted(node).durationSeconds()).isEqualTo(125L);
        }

        @Test
        void acceptsALong() {
            ObjectNode node = minimal();
            node.put("durationSeconds", Long.MAX_VALUE);

            assertThat(accepted(node).durationSeconds()).isEqualTo(Long.MAX_VALUE);
        }

        @Test
        void refusesANegativeNumber() {
            ObjectNode node = minimal();
            node.put("durationSeconds", -1);

            assertOnlyViolation(node, "durationSeconds", "zero or more");
        }

        @Test
        void refusesAFraction() {
            ObjectNode node = minimal();
            node.put("durationSeconds", 12.5);

            assertOnlyViolation(node, "durationSeconds", "must be an integer");
        }

        @Test
        void refusesABigDecimalFraction() {
            ObjectNode node = minimal();
            node.put("durationSeconds", new BigDecimal("0.001"));

            assertOnlyViolation(node, "durationSeconds", "must be an integer");
        }

        @Test
        void refusesANumberBeyondLong() {
            ObjectNode node = minimal();
            node.put("durationSeconds", BigInteger.TWO.pow(64));

            assertOnlyViolation(node, "durationSeconds", "must be at most");
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"125\"", "true", "[125]", "{\"value\": 125}"})
        void refusesOtherJsonTypes(String json) throws Exception {
            ObjectNode node = minimal();
            node.set("durationSeconds", JSON.readTree(json));

            assertOnlyViolation(node, "durationSeconds", "must be an integer");
        }

        @Test
        void refusesNotANumber() {
            ObjectNode node = minimal();
            node.put("durationSeconds", Double.NaN);

            assertOnlyViolation(node, "durationSeconds", "must be an integer");
        }
    }

    @Nested
    class Notes {

        @Test
        void acceptsUpTo4000Characters() {
            ObjectNode node = minimal();
            node.put("notes", "n".repeat(4_000));

            assertThat(accepted(node).notes()).hasSize(4_000);
        }

        @Test
        void refusesMoreThan4000Characters() {
            ObjectNode node = minimal();
            node.put("notes", "n".repeat(4_001));

            assertOnlyViolation(node, "notes", "at most 4000 characters");
        }

        @Test
        void refusesAnObject() {
            ObjectNode node = minimal();
            node.putObject("notes").put("text", "hello");

            assertOnlyViolation(node, "notes", "must be a string");
        }
    }

    @Nested
    class Batch {

        private ArrayNode batchOf(JsonNode... elements) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            for (JsonNode element : elements) {
                array.add(element);
            }
            return array;
        }

        @Test
        void acceptsEveryValidElementInOrder() {
            ObjectNode second = minimal();
            second.put("callId", "c-2");

            ValidationResult<List<Disposition>> result = validator.validateBatch(batchOf(example(), second));

            assertThat(result.isValid()).isTrue();
            assertThat(result.value()).extracting(Disposition::callId).containsExactly("c-2026-11-27-000123", "c-2");
        }

        @Test
        void namesViolationsByIndex() {
            ObjectNode badRecord = minimal();
            badRecord.put("recordId", "0015f000001AbCdAAK");
            ObjectNode twoBad = minimal();
            twoBad.remove("callId");
            twoBad.put("durationSeconds", -5);

            ValidationResult<List<Disposition>> result = validator.validateBatch(
                    batchOf(minimal(), badRecord, minimal(), twoBad, JsonNodeFactory.instance.textNode("x")));

            assertThat(result.isValid()).isFalse();
            assertThat(result.value()).isNull();
            assertThat(result.violations()).extracting(FieldViolation::field)
                    .containsExactly("[1].recordId", "[3].callId", "[3].durationSeconds", "[4]");
            assertThat(result.violations().get(3).message()).isEqualTo("must be a JSON object");
        }

        @Test
        void refusesAnEmptyArray() {
            assertThat(validator.validateBatch(batchOf()).violations())
                    .containsExactly(new FieldViolation("$", "must contain at least one disposition"));
        }

        @Test
        void acceptsTheMaximumSize() {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            for (int i = 0; i < DispositionValidator.DEFAULT_MAX_BATCH_SIZE; i++) {
                array.add(minimal().put("callId", "c-" + i));
            }

            assertThat(validator.validateBatch(array).value()).hasSize(1_000);
        }

        @Test
        void refusesMoreThanTheMaximumWithoutLookingAtElements() {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            for (int i = 0; i <= DispositionValidator.DEFAULT_MAX_BATCH_SIZE; i++) {
                array.add(JsonNodeFactory.instance.objectNode());
            }

            assertThat(validator.validateBatch(array).violations()).containsExactly(
                    new FieldViolation("$", "must contain at most 1000 dispositions, got 1001"));
        }

        @Test
        void honoursAConfiguredMaximum() {
            DispositionValidator small = new DispositionValidator(2);

            assertThat(small.validateBatch(batchOf(minimal(), minimal())).isValid()).isTrue();
            assertThat(small.validateBatch(batchOf(minimal(), minimal(), minimal())).violations())
                    .singleElement().extracting(FieldViolation::field).isEqualTo("$");
            assertThatThrownBy(() -> new DispositionValidator(0)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void refusesAnObjectWhereAnArrayIsExpected() {
            assertThat(validator.validateBatch(minimal()).violations()).singleElement()
                    .extracting(FieldViolation::field).isEqualTo("$");
        }
    }

    @Nested
    class Request {

        @Test
        void takesASingleObjectWithUnindexedFieldNames() {
            ObjectNode bad = minimal();
            bad.remove("recordId");

            assertThat(validator.validateRequest(minimal()).value()).singleElement()
                    .extracting(Disposition::callId).isEqualTo("c-1");
            assertThat(validator.validateRequest(bad).violations()).extracting(FieldViolation::field)
                    .containsExactly("recordId");
        }

        @Test
        void takesAnArrayWithIndexedFieldNames() {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            array.add(minimal());
            array.add(minimal().put("phone", "nope"));

            assertThat(validator.validateRequest(array).violations()).extracting(FieldViolation::field)
                    .containsExactly("[1].phone");
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"text\"", "42", "null"})
        void refusesAnythingElse(String json) throws Exception {
            assertThat(validator.validateRequest(JSON.readTree(json)).violations()).singleElement()
                    .extracting(FieldViolation::field).isEqualTo("$");
        }
    }
}
