package io.dialerbridge.disposition;

import com.fasterxml.jackson.databind.JsonNode;
import io.dialerbridge.salesforce.SalesforceId;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The check of whether a disposition document, as parsed JSON, may be published to Salesforce.
 *
 * <p>When it may not, the result names every field that is wrong and why (contract section 6).
 *
 * <p>It works on a {@link JsonNode} rather than on a bound {@link Disposition} so that a wrong JSON type
 * ({@code "durationSeconds": "125"}) is a field violation next to all the others, not a parser exception that hides
 * them. Decisions where the contract is silent:
 * <ul>
 *   <li>Unknown fields are ignored, not rejected: dialers add fields over time, and a newer dialer must not have its
 *       dispositions refused by an older bridge.</li>
 *   <li>A field set to JSON {@code null} counts as absent.</li>
 *   <li>Types are strict: ids, phone, timestamps and notes must be JSON strings; {@code durationSeconds} a JSON number
 *       with no fractional part ({@code 125.0} passes, as in JSON Schema's "integer").</li>
 *   <li>Lengths count UTF-16 code units ({@link String#length()}), which is never less than the characters Salesforce
 *       counts, so a value that passes here fits its Salesforce field.</li>
 *   <li>{@code disposition} values are case-sensitive, exactly as listed in {@link DispositionCode}.</li>
 *   <li>Record and campaign ids are returned in their 18-character form, so the Kafka key, the idempotency bookkeeping
 *       and {@code Record_Id__c} agree however the dialer spelled the id.</li>
 *   <li>Timestamps must carry an offset ({@code Z} or {@code ±hh:mm}) and seconds; a local time would be a guess.</li>
 *   <li>Each field gets at most one violation, the most basic one (missing before wrong type before wrong format).
 *       The cross-field rules are reported on the field that has to change: {@code endedAt} before {@code startedAt}
 *       on {@code endedAt}, a missing phone for {@code DO_NOT_CALL} on {@code phone}.</li>
 *   <li>{@code durationSeconds} is not checked against {@code endedAt - startedAt}, nor {@code callbackAt} against
 *       the clock: dialers measure talk time differently, and a replayed disposition legitimately has a past
 *       callback.</li>
 *   <li>A batch is all or nothing: one bad element refuses the whole request, with every element's violations, so a
 *       client never has to work out which half of a batch was accepted. An empty batch is refused, as is one over the
 *       size limit, without looking at its elements.</li>
 * </ul>
 */
public final class DispositionValidator {

    public static final int DEFAULT_MAX_BATCH_SIZE = 1_000;

    static final int MAX_CALL_ID_LENGTH = 255;
    static final int MAX_AGENT_ID_LENGTH = 255;
    static final int MAX_NOTES_LENGTH = 4_000;

    private static final String LEAD_PREFIX = "00Q";
    private static final String CONTACT_PREFIX = "003";
    private static final String CAMPAIGN_PREFIX = "701";

    private static final Pattern E164 = Pattern.compile("^\\+[1-9]\\d{1,14}$");
    // The RFC 3339 date-time production; java.time alone would also take a missing offset or missing seconds.
    private static final Pattern RFC_3339 = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})");

    private static final String DISPOSITION_VALUES = Arrays.stream(DispositionCode.values())
            .map(Enum::name)
            .collect(Collectors.joining(", "));

    // What a missing field is told; OPTIONAL (null) means a missing field is fine.
    private static final String REQUIRED = "is required";
    private static final String OPTIONAL = null;

    private final int maxBatchSize;

    public DispositionValidator() {
        this(DEFAULT_MAX_BATCH_SIZE);
    }

    public DispositionValidator(int maxBatchSize) {
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("maxBatchSize must be at least 1, got " + maxBatchSize);
        }
        this.maxBatchSize = maxBatchSize;
    }

    public int maxBatchSize() {
        return maxBatchSize;
    }

    /** Validates one disposition document; field names in violations are the document's own ({@code recordId}). */
    public ValidationResult<Disposition> validate(JsonNode document) {
        if (document == null || !document.isObject()) {
            return ValidationResult.invalid(List.of(new FieldViolation(FieldViolation.ROOT, "must be a JSON object")));
        }
        Fields fields = new Fields(document);

        String callId = fields.string("callId", REQUIRED, MAX_CALL_ID_LENGTH);
        if (callId != null && callId.isBlank()) {
            fields.violation("callId", "must not be blank");
            callId = null;
        }
        String recordId = fields.salesforceId("recordId", REQUIRED, Set.of(LEAD_PREFIX, CONTACT_PREFIX),
                "must be a Lead (00Q) or Contact (003) id");
        DispositionCode disposition = fields.disposition("disposition");
        String phone = fields.phone("phone",
                disposition == DispositionCode.DO_NOT_CALL ? "is required when disposition is DO_NOT_CALL" : OPTIONAL);
        String campaignId = fields.salesforceId("campaignId", OPTIONAL, Set.of(CAMPAIGN_PREFIX),
                "must be a Campaign (701) id");
        String agentId = fields.string("agentId", OPTIONAL, MAX_AGENT_ID_LENGTH);
        Instant startedAt = fields.timestamp("startedAt", OPTIONAL);
        Instant endedAt = fields.timestamp("endedAt", OPTIONAL);
        if (startedAt != null && endedAt != null && endedAt.isBefore(startedAt)) {
            fields.violation("endedAt", "must not be before startedAt");
        }
        Long durationSeconds = fields.nonNegativeInteger("durationSeconds");
        Instant callbackAt = fields.timestamp("callbackAt", disposition == DispositionCode.FOLLOW_UP_LATER
                ? "is required when disposition is FOLLOW_UP_LATER" : OPTIONAL);
        String notes = fields.string("notes", OPTIONAL, MAX_NOTES_LENGTH);

        if (!fields.violations.isEmpty()) {
            return ValidationResult.invalid(fields.violations);
        }
        return ValidationResult.valid(new Disposition(callId, recordId, disposition, phone, campaignId, agentId,
                startedAt, endedAt, durationSeconds, callbackAt, notes));
    }

    /** Validates a JSON array of dispositions; violations are named by index, {@code [3].recordId}. */
    public ValidationResult<List<Disposition>> validateBatch(JsonNode array) {
        if (array == null || !array.isArray()) {
            return rootViolation("must be a JSON array of dispositions");
        }
        if (array.isEmpty()) {
            return rootViolation("must contain at least one disposition");
        }
        if (array.size() > maxBatchSize) {
            return rootViolation("must contain at most " + maxBatchSize + " dispositions, got " + array.size());
        }
        List<Disposition> dispositions = new ArrayList<>(array.size());
        List<FieldViolation> violations = new ArrayList<>();
        for (int index = 0; index < array.size(); index++) {
            ValidationResult<Disposition> element = validate(array.get(index));
            if (element.isValid()) {
                dispositions.add(element.value());
            } else {
                for (FieldViolation violation : element.violations()) {
                    violations.add(violation.atIndex(index));
                }
            }
        }
        return violations.isEmpty() ? ValidationResult.valid(List.copyOf(dispositions))
                : ValidationResult.invalid(violations);
    }

    /**
     * Validates a request body that is either one disposition or an array of them, as {@code POST
     * /api/v1/dispositions} accepts; a single object keeps unindexed field names.
     */
    public ValidationResult<List<Disposition>> validateRequest(JsonNode body) {
        if (body != null && body.isArray()) {
            return validateBatch(body);
        }
        if (body != null && body.isObject()) {
            ValidationResult<Disposition> single = validate(body);
            return single.isValid() ? ValidationResult.valid(List.of(single.value()))
                    : ValidationResult.invalid(single.violations());
        }
        return rootViolation("must be a JSON object or an array of objects");
    }

    private static boolean isAsciiLetterOrDigit(int c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static <T> ValidationResult<T> rootViolation(String message) {
        return ValidationResult.invalid(List.of(new FieldViolation(FieldViolation.ROOT, message)));
    }

    /** The fields of one document and the violations found in it so far. */
    private static final class Fields {

        private final JsonNode document;
        private final List<FieldViolation> violations = new ArrayList<>();

        Fields(JsonNode document) {
            this.document = document;
        }

        void violation(String field, String message) {
            violations.add(new FieldViolation(field, message));
        }

        /** The node of a field, or null when it is absent or JSON null; then {@code whenMissing} is the violation. */
        private JsonNode present(String field, String whenMissing) {
            JsonNode node = document.get(field);
            if (node == null || node.isNull()) {
                if (whenMissing != null) {
                    violation(field, whenMissing);
                }
                return null;
            }
            return node;
        }

        private String text(String field, String whenMissing) {
            JsonNode node = present(field, whenMissing);
            if (node == null) {
                return null;
            }
            if (!node.isTextual()) {
                violation(field, "must be a string");
                return null;
            }
            return node.textValue();
        }

        String string(String field, String whenMissing, int maxLength) {
            String value = text(field, whenMissing);
            if (value != null && value.length() > maxLength) {
                violation(field, "must be at most " + maxLength + " characters, got " + value.length());
                return null;
            }
            return value;
        }

        /** A valid id with one of the prefixes, in its 18-character form. */
        String salesforceId(String field, String whenMissing, Set<String> prefixes, String wrongPrefixMessage) {
            String id = text(field, whenMissing);
            if (id == null) {
                return null;
            }
            if (id.length() != 15 && id.length() != 18) {
                violation(field, "must be a Salesforce id of 15 or 18 characters, got " + id.length());
                return null;
            }
            if (!id.chars().allMatch(DispositionValidator::isAsciiLetterOrDigit)) {
                violation(field, "must contain only letters and digits");
                return null;
            }
            if (!prefixes.contains(id.substring(0, 3))) {
                violation(field, wrongPrefixMessage);
                return null;
            }
            if (!SalesforceId.isValid(id)) {
                violation(field, "has a wrong case-safe checksum (was the id's case changed?)");
                return null;
            }
            return SalesforceId.to18(id);
        }

        DispositionCode disposition(String field) {
            String value = text(field, REQUIRED);
            if (value == null) {
                return null;
            }
            try {
                return DispositionCode.valueOf(value);
            } catch (IllegalArgumentException notACode) {
                violation(field, "must be one of " + DISPOSITION_VALUES);
                return null;
            }
        }

        String phone(String field, String whenMissing) {
            String value = text(field, whenMissing);
            if (value != null && !E164.matcher(value).matches()) {
                violation(field, "must be an E.164 number such as +14155550134");
                return null;
            }
            return value;
        }

        Instant timestamp(String field, String whenMissing) {
            String value = text(field, whenMissing);
            if (value == null) {
                return null;
            }
            if (RFC_3339.matcher(value).matches()) {
                try {
                    return OffsetDateTime.parse(value.toUpperCase(Locale.ROOT), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                            .toInstant();
                } catch (DateTimeParseException impossibleDate) {
                    // falls through: well formed but not a real instant, such as February 30th
                }
            }
            violation(field, "must be an RFC 3339 timestamp with an offset, such as 2026-11-27T15:04:05Z");
            return null;
        }

        Long nonNegativeInteger(String field) {
            JsonNode node = present(field, OPTIONAL);
            if (node == null) {
                return null;
            }
            if (!node.isNumber() || ((node.isDouble() || node.isFloat()) && !Double.isFinite(node.doubleValue()))) {
                violation(field, "must be an integer");
                return null;
            }
            BigDecimal number = node.decimalValue();
            if (number.stripTrailingZeros().scale() > 0) {
                violation(field, "must be an integer");
                return null;
            }
            if (number.signum() < 0) {
                violation(field, "must be zero or more");
                return null;
            }
            try {
                return number.longValueExact();
            } catch (ArithmeticException tooLarge) {
                violation(field, "must be at most " + Long.MAX_VALUE);
                return null;
            }
        }
    }
}
