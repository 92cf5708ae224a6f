package io.dialerbridge.disposition;

import java.util.List;

/**
 * Raised when a disposition fails validation, carrying every violation so one {@code onException} can answer a REST
 * caller with a 400 problem and a Kafka record with a dead letter giving the same reasons.
 */
public class InvalidDispositionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<FieldViolation> violations;

    public InvalidDispositionException(List<FieldViolation> violations) {
        // The message lists field names only: messages can be logged wholesale, and values are never in violations.
        super("invalid disposition: " + violations.size() + " violation(s) in "
                + violations.stream().map(FieldViolation::field).distinct().toList());
        this.violations = List.copyOf(violations);
    }

    public List<FieldViolation> violations() {
        return violations;
    }
}
