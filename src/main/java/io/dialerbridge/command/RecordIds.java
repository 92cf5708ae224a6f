package io.dialerbridge.command;

import java.util.Optional;

import io.dialerbridge.command.MappingException.Reason;
import io.dialerbridge.salesforce.SalesforceId;

/**
 * Checks the Salesforce ids a command is keyed by and brings them to the 18-character form. A 15-character id typed
 * into a platform event then lands on the same Kafka partition as the 18-character id CDC sends.
 */
final class RecordIds {

    static final String ALL_CAMPAIGNS = "*";
    static final String LEAD_PREFIX = "00Q";
    static final String CONTACT_PREFIX = "003";
    static final String CAMPAIGN_PREFIX = "701";
    static final String CAMPAIGN_MEMBER_PREFIX = "00v";

    private RecordIds() {
    }

    /** A Lead or Contact id in 18-character form. */
    static String person(Object value, String what) {
        String id = present(value, what);
        String prefix = SalesforceId.keyPrefix(id).orElseThrow(() -> invalid(what, id));
        if (!prefix.equals(LEAD_PREFIX) && !prefix.equals(CONTACT_PREFIX)) {
            throw new MappingException(Reason.INVALID_ID, what + " is not a Lead (00Q) or Contact (003) id: " + id);
        }
        return SalesforceId.to18(id);
    }

    /** A record id of the given key prefix in 18-character form. */
    static String of(String prefix, Object value, String what) {
        String id = present(value, what);
        if (!SalesforceId.keyPrefix(id).orElseThrow(() -> invalid(what, id)).equals(prefix)) {
            throw new MappingException(Reason.INVALID_ID, what + " does not start with " + prefix + ": " + id);
        }
        return SalesforceId.to18(id);
    }

    /** A campaign id in 18-character form, or {@code *} for all campaigns; empty when the text is neither. */
    static Optional<String> campaignKey(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String candidate = text.strip();
        if (candidate.equals(ALL_CAMPAIGNS)) {
            return Optional.of(ALL_CAMPAIGNS);
        }
        if (SalesforceId.keyPrefix(candidate).filter(CAMPAIGN_PREFIX::equals).isPresent()) {
            return Optional.of(SalesforceId.to18(candidate));
        }
        return Optional.empty();
    }

    /** {@code Lead} or {@code Contact}, from the id's key prefix. */
    static String personType(String personId) {
        return personId.startsWith(CONTACT_PREFIX) ? "Contact" : "Lead";
    }

    /** An id in 18-character form when it is a valid id, otherwise as given; for informational fields. */
    static String to18IfValid(String id) {
        return SalesforceId.isValid(id) ? SalesforceId.to18(id) : id;
    }

    private static String present(Object value, String what) {
        String id = WireValues.text(value);
        if (id == null) {
            throw new MappingException(Reason.MISSING_FIELD, what + " is missing");
        }
        return id.strip();
    }

    private static MappingException invalid(String what, String id) {
        return new MappingException(Reason.INVALID_ID, what + " is not a valid Salesforce id: " + id);
    }
}
