package io.dialerbridge.disposition;

import java.util.List;
import java.util.Objects;

/**
 * Either a value that passed validation or every violation found in it.
 *
 * <p>Never both, so a caller cannot publish a half-valid request by mistake.
 *
 * @param <T> what a successful validation yields
 */
public record ValidationResult<T>(T value, List<FieldViolation> violations) {

    public ValidationResult {
        violations = List.copyOf(violations);
        if ((value == null) == violations.isEmpty()) {
            throw new IllegalArgumentException("a validation result holds either a value or violations");
        }
    }

    public static <T> ValidationResult<T> valid(T value) {
        return new ValidationResult<>(Objects.requireNonNull(value, "value"), List.of());
    }

    public static <T> ValidationResult<T> invalid(List<FieldViolation> violations) {
        return new ValidationResult<>(null, violations);
    }

    public boolean isValid() {
        return violations.isEmpty();
    }
}
