package io.dialerbridge.emulator.rest;

import io.dialerbridge.emulator.data.RecordStore;
import io.dialerbridge.emulator.data.SObjectType;
import io.dialerbridge.emulator.data.SalesforceApiException;
import io.dialerbridge.emulator.soql.SoqlCondition;
import io.dialerbridge.emulator.soql.SoqlException;
import io.dialerbridge.emulator.soql.SoqlQuery;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code query?q=} and {@code queryAll?q=}: SOQL over the org's records, answered as a single batch.
 *
 * <p>There is no {@code nextRecordsUrl} paging: a result is cut at {@link #BATCH_SIZE} records, Salesforce's default
 * batch, and then says {@code done:false} without a locator. Nothing that talks to the emulator reads that many.
 */
final class QueryResource {

    static final int BATCH_SIZE = 2_000;
    static final int MAX_OFFSET = 2_000;

    private final RecordStore records;

    QueryResource(RecordStore records) {
        this.records = records;
    }

    /** Answers one query; {@code includeDeleted} makes it {@code queryAll}, which also reads the recycle bin. */
    void query(HttpServletRequest request, HttpServletResponse response, String version, boolean includeDeleted)
            throws IOException {
        RestServlet.requireGet(request);
        String soql = request.getParameter("q");
        if (soql == null || soql.isBlank()) {
            throw new SalesforceApiException(400, "MALFORMED_QUERY", "A query string has to be specified");
        }
        SoqlQuery query = parse(soql);
        SObjectType type = SObjectType.byName(query.objectName()).orElseThrow(() -> new SalesforceApiException(400,
                "INVALID_TYPE", "sObject type '" + query.objectName() + "' is not supported. If you are attempting to"
                        + " use a custom object, be sure to append the '__c' after the entity name. Please reference"
                        + " your WSDL or the describe call for the appropriate names."));
        List<String> selected = canonicalSelectFields(query, type);
        query.whereFields().forEach(field -> canonical(type, field));
        query.orderBy().forEach(order -> canonical(type, order.field()));
        int offset = query.offset().orElse(0);
        if (offset > MAX_OFFSET) {
            throw new SalesforceApiException(400, "NUMBER_OUTSIDE_VALID_RANGE",
                    "Maximum SOQL offset allowed is " + MAX_OFFSET);
        }

        List<Map<String, Object>> matching = new ArrayList<>();
        for (Map<String, Object> record : records.records(type, includeDeleted)) {
            if (query.matches(record)) {
                matching.add(record);
            }
        }
        if (!query.orderBy().isEmpty()) {
            matching.sort(ordering(type, query.orderBy()));
        }
        int limit = query.limit().orElse(Integer.MAX_VALUE);
        List<Map<String, Object>> result = matching.stream().skip(offset).limit(limit).toList();

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("totalSize", result.size());
        if (query.isCountQuery()) {
            body.put("done", true);
            body.put("records", List.of());
        } else {
            List<Map<String, Object>> batch = new ArrayList<>();
            for (Map<String, Object> record : result.subList(0, Math.min(result.size(), BATCH_SIZE))) {
                batch.add(RecordRepresentation.of(version, type, record, selected));
            }
            body.put("done", batch.size() == result.size());
            body.put("records", batch);
        }
        JsonResponses.write(response, 200, body);
    }

    /**
     * Parses the query and refuses what the emulator cannot answer. Aggregates, sub-selects, TYPEOF and semi-joins
     * are valid SOQL that Salesforce would answer, so they are refused with a message naming the emulator rather
     * than with a Salesforce error that would mislead.
     */
    private static SoqlQuery parse(String soql) {
        SoqlQuery query;
        try {
            query = SoqlQuery.parse(soql);
        } catch (SoqlException refused) {
            throw new SalesforceApiException(400, refused.errorCode(), refused.getMessage());
        }
        if (!query.aggregates().isEmpty() || !query.groupBy().isEmpty() || !query.childQueries().isEmpty()
                || !query.typeOfFields().isEmpty() || usesSemiJoin(query.where().orElse(null))) {
            throw new SalesforceApiException(400, "MALFORMED_QUERY", "The Salesforce emulator does not answer"
                    + " aggregate functions, GROUP BY, sub-selects, TYPEOF or semi-joins: " + soql);
        }
        return query;
    }

    private static boolean usesSemiJoin(SoqlCondition condition) {
        if (condition instanceof SoqlCondition.And and) {
            return and.operands().stream().anyMatch(QueryResource::usesSemiJoin);
        }
        if (condition instanceof SoqlCondition.Or or) {
            return or.operands().stream().anyMatch(QueryResource::usesSemiJoin);
        }
        if (condition instanceof SoqlCondition.Not not) {
            return usesSemiJoin(not.operand());
        }
        return condition instanceof SoqlCondition.SemiJoin;
    }

    private static List<String> canonicalSelectFields(SoqlQuery query, SObjectType type) {
        Set<String> fields = new LinkedHashSet<>();
        for (String field : query.selectFields()) {
            String name = canonical(type, field);
            if (!fields.add(name)) {
                throw new SalesforceApiException(400, "MALFORMED_QUERY", "duplicate field selected: " + name);
            }
        }
        return List.copyOf(fields);
    }

    /** The field's canonical name; the emulated objects have no relationships, so a path is always unknown. */
    private static String canonical(SObjectType type, String field) {
        if (field.contains(".")) {
            String relationship = field.substring(0, field.indexOf('.'));
            throw new SalesforceApiException(400, "INVALID_FIELD", "Didn't understand relationship '" + relationship
                    + "' in field path. If you are attempting to use a custom relationship, be sure to append the"
                    + " '__r' after the custom relationship name. Please reference your WSDL or the describe call for"
                    + " the appropriate names.");
        }
        return type.canonicalField(field).orElseThrow(() -> SalesforceApiException.noSuchColumn(type, field));
    }

    /** SOQL ordering: text case-insensitively, and nulls first in either direction unless told (which is not read). */
    private static Comparator<Map<String, Object>> ordering(SObjectType type, List<SoqlQuery.OrderBy> orderBy) {
        Comparator<Map<String, Object>> ordering = (a, b) -> 0;
        for (SoqlQuery.OrderBy order : orderBy) {
            String field = canonical(type, order.field());
            Comparator<Object> values = QueryResource::compareValues;
            if (order.direction() == SoqlQuery.Direction.DESCENDING) {
                values = values.reversed();
            }
            Comparator<Object> nullsFirst = Comparator.nullsFirst(values);
            ordering = ordering.thenComparing(record -> record.get(field), nullsFirst);
        }
        return ordering;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareValues(Object a, Object b) {
        if (a instanceof String x && b instanceof String y) {
            return String.CASE_INSENSITIVE_ORDER.compare(x, y);
        }
        if (a instanceof Number x && b instanceof Number y) {
            return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString()));
        }
        if (a instanceof Comparable x && a.getClass() == b.getClass()) {
            return x.compareTo(b);
        }
        return String.valueOf(a).compareTo(String.valueOf(b));
    }
}
