package io.dialerbridge.emulator.soql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A parsed SOQL query as the emulator understands it: what it selects, from which object, and a WHERE clause it can
 * evaluate against records.
 *
 * <p>The subset read is {@code SELECT … FROM Object [WHERE …] [GROUP BY …] [ORDER BY …] [LIMIT n] [OFFSET n]}.
 * Aggregates, parent-to-child sub-selects, TYPEOF, relationship paths and semi-joins are parsed so that callers such
 * as {@link PushTopicQueryRules} can refuse them by name. Not read: aliases, WITH, USING SCOPE, HAVING, FOR …,
 * INCLUDES/EXCLUDES, functions other than aggregates, relative date literals such as TODAY, and bind variables; they
 * fail as malformed.
 */
public final class SoqlQuery {

    public enum Direction { ASCENDING, DESCENDING }

    /** One ORDER BY entry. */
    public record OrderBy(String field, Direction direction) {
        public OrderBy {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(direction, "direction");
        }
    }

    private final String text;
    private final List<String> selectFields;
    private final List<String> aggregates;
    private final List<SoqlQuery> childQueries;
    private final List<String> typeOfFields;
    private final boolean countQuery;
    private final String objectName;
    private final SoqlCondition where;
    private final List<String> groupBy;
    private final List<OrderBy> orderBy;
    private final Integer limit;
    private final Integer offset;

    SoqlQuery(String text, List<String> selectFields, List<String> aggregates, List<SoqlQuery> childQueries,
            List<String> typeOfFields, boolean countQuery, String objectName, SoqlCondition where,
            List<String> groupBy, List<OrderBy> orderBy, Integer limit, Integer offset) {
        this.text = text;
        this.selectFields = List.copyOf(selectFields);
        this.aggregates = List.copyOf(aggregates);
        this.childQueries = List.copyOf(childQueries);
        this.typeOfFields = List.copyOf(typeOfFields);
        this.countQuery = countQuery;
        this.objectName = objectName;
        this.where = where;
        this.groupBy = List.copyOf(groupBy);
        this.orderBy = List.copyOf(orderBy);
        this.limit = limit;
        this.offset = offset;
    }

    /**
     * Parses SOQL text; keywords and names are case-insensitive, whitespace (newlines included) is free.
     *
     * @throws SoqlException with {@code MALFORMED_QUERY} when the text is not SOQL the emulator reads
     */
    public static SoqlQuery parse(String soql) {
        Objects.requireNonNull(soql, "soql");
        return SoqlParser.parse(soql);
    }

    /** The SOQL text as given (for a sub-select, its text within the enclosing query). */
    public String text() {
        return text;
    }

    /** The plain and relationship fields of the SELECT list, as written and in order. */
    public List<String> selectFields() {
        return selectFields;
    }

    /** Aggregate calls in the SELECT list as written, such as {@code AVG(AnnualRevenue)}; not COUNT(). */
    public List<String> aggregates() {
        return aggregates;
    }

    /** Parent-to-child sub-selects in the SELECT list, such as {@code (SELECT Id FROM Contacts)}. */
    public List<SoqlQuery> childQueries() {
        return childQueries;
    }

    /** Polymorphic fields selected with TYPEOF. */
    public List<String> typeOfFields() {
        return typeOfFields;
    }

    /** Whether this is {@code SELECT COUNT() FROM …}. */
    public boolean isCountQuery() {
        return countQuery;
    }

    public String objectName() {
        return objectName;
    }

    public Optional<SoqlCondition> where() {
        return Optional.ofNullable(where);
    }

    public List<String> groupBy() {
        return groupBy;
    }

    public List<OrderBy> orderBy() {
        return orderBy;
    }

    public OptionalInt limit() {
        return limit == null ? OptionalInt.empty() : OptionalInt.of(limit);
    }

    public OptionalInt offset() {
        return offset == null ? OptionalInt.empty() : OptionalInt.of(offset);
    }

    /** The fields the WHERE clause tests, in order of appearance, each once whatever its case. */
    public List<String> whereFields() {
        List<String> fields = new ArrayList<>();
        if (where != null) {
            collectFields(where, fields);
        }
        return distinctIgnoringCase(fields);
    }

    /**
     * SELECT fields then WHERE fields, each once whatever its case (the first spelling wins): the fields a PushTopic
     * with NotifyForFields=Referenced watches.
     */
    public List<String> referencedFields() {
        List<String> fields = new ArrayList<>(selectFields);
        fields.addAll(whereFields());
        return distinctIgnoringCase(fields);
    }

    /** Whether the record satisfies the WHERE clause; a query without one matches every record. */
    public boolean matches(Map<String, ?> record) {
        Objects.requireNonNull(record, "record");
        return where == null || where.matches(record);
    }

    @Override
    public String toString() {
        return text;
    }

    private static void collectFields(SoqlCondition condition, List<String> fields) {
        if (condition instanceof SoqlCondition.And and) {
            and.operands().forEach(operand -> collectFields(operand, fields));
        } else if (condition instanceof SoqlCondition.Or or) {
            or.operands().forEach(operand -> collectFields(operand, fields));
        } else if (condition instanceof SoqlCondition.Not not) {
            collectFields(not.operand(), fields);
        } else if (condition instanceof SoqlCondition.Comparison comparison) {
            fields.add(comparison.field());
        } else if (condition instanceof SoqlCondition.Like like) {
            fields.add(like.field());
        } else if (condition instanceof SoqlCondition.InList in) {
            fields.add(in.field());
        } else if (condition instanceof SoqlCondition.SemiJoin join) {
            fields.add(join.field());
        }
    }

    private static List<String> distinctIgnoringCase(List<String> fields) {
        Map<String, String> firstSpelling = new LinkedHashMap<>();
        for (String field : fields) {
            firstSpelling.putIfAbsent(field.toLowerCase(Locale.ROOT), field);
        }
        return List.copyOf(firstSpelling.values());
    }
}
