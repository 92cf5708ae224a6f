package io.dialerbridge.command;

import java.util.Objects;

/**
 * A Salesforce event that cannot become a dialer command. The route dead-letters it with {@link #reason()} as the
 * machine-readable code and the message as the human explanation.
 */
public class MappingException extends RuntimeException {

    /** Machine-readable reason codes, stable because they end up in dead-letter headers. */
    public enum Reason {
        /** A field or header the mapping needs is absent or blank. */
        MISSING_FIELD,
        /** A field is present but its value is not one the mapping accepts. */
        INVALID_VALUE,
        /** A Salesforce id is malformed, has a wrong checksum, or names the wrong kind of record. */
        INVALID_ID,
        /** A platform event names a command the bridge does not know. */
        UNKNOWN_COMMAND,
        /** A CampaignMember update or delete for a member the bridge has never seen. */
        UNKNOWN_MEMBER,
        /** An event of a kind this mapper does not handle (wrong entity, gap event, unknown event type). */
        UNSUPPORTED_EVENT
    }

    private final Reason reason;

    public MappingException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
