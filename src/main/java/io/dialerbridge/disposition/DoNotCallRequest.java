package io.dialerbridge.disposition;

import com.fasterxml.jackson.databind.JsonNode;
import io.dialerbridge.command.phone.PhoneNormalizer;
import io.dialerbridge.salesforce.SalesforceId;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Whom a {@code DO_NOT_CALL} disposition asks the dialer not to call, read whatever else is wrong with the document. A
 * person who said "do not call" must not be called again because the agent's notes ran over 4,000 characters, the
 * dialer's clocks were skewed or the campaign id was mistyped. The disposition itself is still refused (dead-lettered,
 * or 400 on the intake) for those faults; only the suppression does not wait for them.
 *
 * @param callId the call id when it is a usable one (a non-blank string of at most 255 characters), else null
 * @param personId the Lead ({@code 00Q}) or Contact ({@code 003}) id in its 18-character form, when it is a valid one
 * @param phone the number called in E.164, when it is one or can be normalised to one
 * @param endedAt when the call ended, when that is a readable timestamp
 * @param startedAt when the call started, when that is a readable timestamp
 */
record DoNotCallRequest(String callId, String personId, String phone, Instant endedAt, Instant startedAt) {

    private static final Set<String> PERSON_PREFIXES = Set.of("00Q", "003");
    private static final Pattern E164 = Pattern.compile("^\\+[1-9]\\d{1,14}$");

    /** The request of a disposition that passed validation. */
    static DoNotCallRequest of(Disposition disposition) {
        return new DoNotCallRequest(disposition.callId(), disposition.recordId(), disposition.phone(),
                disposition.endedAt(), disposition.startedAt());
    }

    /**
     * What a document that says {@code "disposition": "DO_NOT_CALL"} asks, whether or not it is valid; empty when it
     * is not a do-not-call, or when neither a person id nor a phone can be read from it (then nobody can be
     * suppressed, and only its dead letter remains).
     */
    static Optional<DoNotCallRequest> read(JsonNode document, PhoneNormalizer phones) {
        if (document == null || !document.isObject()
                || !DispositionCode.DO_NOT_CALL.name().equals(text(document, "disposition"))) {
            return Optional.empty();
        }
        String personId = personId(text(document, "recordId"));
        String phone = phone(text(document, "phone"), personId, phones);
        if (personId == null && phone == null) {
            return Optional.empty();
        }
        String callId = text(document, "callId");
        if (callId != null && (callId.isBlank() || callId.length() > DispositionValidator.MAX_CALL_ID_LENGTH)) {
            callId = null;
        }
        return Optional.of(new DoNotCallRequest(callId, personId, phone, instant(text(document, "endedAt")),
                instant(text(document, "startedAt"))));
    }

    /** Whether the suppression is of a number alone, with no person to hold it. */
    boolean numberOnly() {
        return personId == null;
    }

    private static String text(JsonNode document, String field) {
        JsonNode node = document.get(field);
        return node != null && node.isTextual() ? node.textValue() : null;
    }

    private static String personId(String id) {
        if (id == null || (id.length() != 15 && id.length() != 18) || !PERSON_PREFIXES.contains(id.substring(0, 3))
                || !id.chars().allMatch(Character::isLetterOrDigit) || !SalesforceId.isValid(id)) {
            return null;
        }
        return SalesforceId.to18(id);
    }

    private static String phone(String raw, String personId, PhoneNormalizer phones) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        if (E164.matcher(raw).matches()) {
            return raw;
        }
        return phones.normalize(raw, personId == null ? "a DO_NOT_CALL disposition" : personId, "phone").e164();
    }

    private static Instant instant(String value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException unreadable) {
            return null;
        }
    }
}
