package io.dialerbridge.emulator.soql;

import java.util.ArrayList;
import java.util.List;

/**
 * The restrictions Salesforce puts on a PushTopic's query, refused with the error texts of its "Unsupported
 * PushTopic Queries" page.
 *
 * <p>That page gives every refusal as {@code INVALID_FIELD, <message>}, so INVALID_FIELD is the code throughout. It
 * names no text for a query without Id; the one used here is the emulator's own. "Exactly one object" needs no check:
 * the grammar reads a single object after FROM.
 */
public final class PushTopicQueryRules {

    private PushTopicQueryRules() {
    }

    /** Parses a PushTopic query and checks it; the parsed query is returned for evaluating record changes. */
    public static SoqlQuery validate(String soql) {
        SoqlQuery query = SoqlQuery.parse(soql);
        check(query);
        return query;
    }

    /**
     * Throws the first restriction the query breaks. The order favours the most specific complaint: COUNT() also
     * lacks Id, but "Aggregate queries are not supported" is what helps.
     */
    public static void check(SoqlQuery query) {
        List<SoqlCondition> conditions = new ArrayList<>();
        query.where().ifPresent(where -> flatten(where, conditions));

        if (conditions.stream().anyMatch(SoqlCondition.SemiJoin.class::isInstance)) {
            throw refused("semi/anti join sub-selects are not supported");
        }
        if (query.isCountQuery() || !query.aggregates().isEmpty() || !query.groupBy().isEmpty()) {
            throw refused("Aggregate queries are not supported");
        }
        if (!query.typeOfFields().isEmpty()) {
            throw refused("'TYPEOF' clause is not allowed");
        }
        if (!query.childQueries().isEmpty() || usesRelationship(query)) {
            throw refused("relationships are not supported");
        }
        if (conditions.stream().anyMatch(SoqlCondition.Not.class::isInstance)) {
            throw refused("'NOT' is not supported");
        }
        if (!query.orderBy().isEmpty()) {
            throw refused("'ORDER BY' clause is not allowed");
        }
        if (query.limit().isPresent()) {
            throw refused("'LIMIT' is not allowed");
        }
        if (query.offset().isPresent()) {
            throw refused("'OFFSET' clause is not allowed");
        }
        if (query.selectFields().stream().noneMatch("Id"::equalsIgnoreCase)) {
            throw refused("PushTopic queries must select the Id field");
        }
    }

    private static boolean usesRelationship(SoqlQuery query) {
        List<String> fields = new ArrayList<>(query.referencedFields());
        query.orderBy().forEach(order -> fields.add(order.field()));
        return fields.stream().anyMatch(field -> field.contains("."));
    }

    /** Every node of the condition tree, the root included. */
    private static void flatten(SoqlCondition condition, List<SoqlCondition> into) {
        into.add(condition);
        if (condition instanceof SoqlCondition.And and) {
            and.operands().forEach(operand -> flatten(operand, into));
        } else if (condition instanceof SoqlCondition.Or or) {
            or.operands().forEach(operand -> flatten(operand, into));
        } else if (condition instanceof SoqlCondition.Not not) {
            flatten(not.operand(), into);
        }
    }

    private static SoqlException refused(String message) {
        return new SoqlException(SoqlException.INVALID_FIELD, message);
    }
}
