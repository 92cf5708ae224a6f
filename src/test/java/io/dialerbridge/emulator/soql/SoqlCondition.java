package io.dialerbridge.emulator.soql;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A WHERE clause as a tree, each node able to say whether a record satisfies it.
 *
 * <p>SOQL has no third truth value: a comparison with a null field is simply true or false ({@code Phone != '1'}
 * holds when Phone is null), so NOT is plain negation.
 */
public sealed interface SoqlCondition {

    /** Whether the record, a map of field API names to values, satisfies this condition. */
    boolean matches(Map<String, ?> record);

    enum Operator {
        EQUALS("="), NOT_EQUALS("!="), LESS("<"), LESS_OR_EQUAL("<="), GREATER(">"), GREATER_OR_EQUAL(">=");

        private final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        static Operator ofSymbol(String symbol) {
            if (symbol.equals("<>")) {
                return NOT_EQUALS;
            }
            for (Operator operator : values()) {
                if (operator.symbol.equals(symbol)) {
                    return operator;
                }
            }
            throw new IllegalArgumentException("not a comparison operator: " + symbol);
        }
    }

    record And(List<SoqlCondition> operands) implements SoqlCondition {
        public And {
            operands = List.copyOf(operands);
        }

        @Override
        public boolean matches(Map<String, ?> record) {
            return operands.stream().allMatch(operand -> operand.matches(record));
        }
    }

    record Or(List<SoqlCondition> operands) implements SoqlCondition {
        public Or {
            operands = List.copyOf(operands);
        }

        @Override
        public boolean matches(Map<String, ?> record) {
            return operands.stream().anyMatch(operand -> operand.matches(record));
        }
    }

    record Not(SoqlCondition operand) implements SoqlCondition {
        public Not {
            Objects.requireNonNull(operand, "operand");
        }

        @Override
        public boolean matches(Map<String, ?> record) {
            return !operand.matches(record);
        }
    }

    /** {@code field <operator> literal}. */
    record Comparison(String field, Operator operator, SoqlLiteral value) implements SoqlCondition {
        public Comparison {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(operator, "operator");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public boolean matches(Map<String, ?> record) {
            Object fieldValue = RecordFields.value(record, field);
            switch (operator) {
                case EQUALS:
                    return value.isEqualTo(fieldValue);
                case NOT_EQUALS:
                    return !value.isEqualTo(fieldValue);
                default:
                    return value.compareFrom(fieldValue).map(this::holdsFor).orElse(false);
            }
        }

        private boolean holdsFor(int order) {
            switch (operator) {
                case LESS:
                    return order < 0;
                case LESS_OR_EQUAL:
                    return order <= 0;
                case GREATER:
                    return order > 0;
                case GREATER_OR_EQUAL:
                    return order >= 0;
                default:
                    throw new IllegalStateException(operator.name());
            }
        }
    }

    /**
     * {@code field LIKE 'pattern'}, the pattern kept as written between the quotes because {@code \%} and {@code %}
     * mean different things.
     */
    final class Like implements SoqlCondition {
        private final String field;
        private final String pattern;
        /** Compiled once: a PushTopic's LIKE is tested against every change of every commit. */
        private final Pattern regex;

        public Like(String field, String pattern) {
            this.field = Objects.requireNonNull(field, "field");
            this.pattern = Objects.requireNonNull(pattern, "pattern");
            this.regex = SoqlStringEscapes.likePattern(pattern);
        }

        public String field() {
            return field;
        }

        public String pattern() {
            return pattern;
        }

        @Override
        public boolean matches(Map<String, ?> record) {
            Object fieldValue = RecordFields.value(record, field);
            return fieldValue instanceof String text && regex.matcher(text).matches();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Like like && field.equals(like.field) && pattern.equals(like.pattern);
        }

        @Override
        public int hashCode() {
            return Objects.hash(field, pattern);
        }

        @Override
        public String toString() {
            return "Like[field=" + field + ", pattern=" + pattern + "]";
        }
    }

    /** {@code field IN (...)} or, negated, {@code field NOT IN (...)}. */
    record InList(String field, boolean negated, List<SoqlLiteral> values) implements SoqlCondition {
        public InList {
            Objects.requireNonNull(field, "field");
            values = List.copyOf(values);
        }

        @Override
        public boolean matches(Map<String, ?> record) {
            Object fieldValue = RecordFields.value(record, field);
            boolean listed = values.stream().anyMatch(value -> value.isEqualTo(fieldValue));
            return listed != negated;
        }
    }

    /**
     * {@code field IN (SELECT ...)}: a semi-join, or an anti-join when negated. Parsed so it can be refused with
     * Salesforce's message; the emulator holds no other object's records to evaluate it against.
     */
    record SemiJoin(String field, boolean negated, SoqlQuery subquery) implements SoqlCondition {
        public SemiJoin {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(subquery, "subquery");
        }

        @Override
        public boolean matches(Map<String, ?> record) {
            throw new UnsupportedOperationException(
                    "the emulator cannot evaluate semi/anti join sub-selects: " + subquery.text());
        }
    }
}
