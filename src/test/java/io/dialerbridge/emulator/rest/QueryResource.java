package io.dialerbridge.emulator.rest;

import io.dialerbridge.emulator.EmulatorSettings;
import io.dialerbridge.emulator.data.IdGenerator;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code query?q=} and {@code queryAll?q=}: SOQL over the org's records, answered in batches as Salesforce does.
 *
 * <p>A result larger than one batch comes with {@code done:false} and a {@code nextRecordsUrl}
 * ({@code /services/data/vXX.X/query/01g…-2000}, {@code query/} for queryAll too, as Salesforce writes it); a GET of
 * that URL (or of {@code queryAll/<locator>}) answers the next batch, until {@code done:true}. A batch holds 2,000
 * records, or the {@code Sforce-Query-Options: batchSize=N} header's N (200 to 2,000; values outside are taken to the
 * nearer bound), and never more than {@link EmulatorSettings#queryBatchSize()}. The result is fixed when the query
 * runs: later pages do not see later changes. As in Salesforce, a locator that was not used for 15 minutes is
 * released, and opening an eleventh releases the oldest; either then answers {@code INVALID_QUERY_LOCATOR}.
 */
final class QueryResource {

    static final int BATCH_SIZE = 2_000;
    static final int MIN_BATCH_SIZE = 200;
    static final int MAX_OFFSET = 2_000;
    static final String QUERY_OPTIONS = "Sforce-Query-Options";
    static final int MAX_OPEN_CURSORS = 10;
    static final Duration CURSOR_IDLE_TIMEOUT = Duration.ofMinutes(15);

    private final RecordStore records;
    private final EmulatorSettings settings;
    private final IdGenerator locators = new IdGenerator();
    /** Open query cursors by locator, oldest first. */
    private final Map<String, Cursor> cursors = new LinkedHashMap<>();

    /** What remains of one query's result, already in its REST shape. */
    private static final class Cursor {
        final String version;
        final List<Map<String, Object>> records;
        final int batchSize;
        Instant lastUsed;

        Cursor(String version, List<Map<String, Object>> records, int batchSize, Instant lastUsed) {
            this.version = version;
            this.records = records;
            this.batchSize = batchSize;
            this.lastUsed = lastUsed;
        }
    }

    QueryResource(RecordStore records, EmulatorSettings settings) {
        this.records = records;
        this.settings = settings;
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

        if (query.isCountQuery()) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("totalSize", result.size());
            body.put("done", true);
            body.put("records", List.of());
            JsonResponses.write(response, 200, body);
            return;
        }
        List<Map<String, Object>> rendered = new ArrayList<>(result.size());
        for (Map<String, Object> record : result) {
            rendered.add(RecordRepresentation.of(version, type, record, selected));
        }
        JsonResponses.write(response, 200, page(new Cursor(version, rendered, batchSize(request),
                settings.clock().instant()), 0, null));
    }

    /** {@code GET …/query/<locator>-<position>}: the next batch of an earlier query's result. */
    void more(HttpServletRequest request, HttpServletResponse response, String locatorAndPosition) throws IOException {
        RestServlet.requireGet(request);
        int dash = locatorAndPosition.lastIndexOf('-');
        String locator = locatorAndPosition.substring(0, dash);
        int position;
        try {
            position = Integer.parseInt(locatorAndPosition.substring(dash + 1));
        } catch (NumberFormatException e) {
            throw invalidLocator();
        }
        Cursor cursor;
        synchronized (cursors) {
            releaseIdleCursors();
            cursor = cursors.get(locator);
            if (cursor == null || position <= 0 || position >= cursor.records.size()) {
                throw invalidLocator();
            }
            cursor.lastUsed = settings.clock().instant();
        }
        JsonResponses.write(response, 200, page(cursor, position, locator));
    }

    /** The batch of the cursor's records from {@code position}, opening or closing its locator as needed. */
    private Map<String, Object> page(Cursor cursor, int position, String locator) {
        int end = Math.min(cursor.records.size(), position + cursor.batchSize);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("totalSize", cursor.records.size());
        boolean done = end == cursor.records.size();
        body.put("done", done);
        synchronized (cursors) {
            if (done) {
                if (locator != null) {
                    cursors.remove(locator);
                }
            } else {
                if (locator == null) {
                    locator = open(cursor);
                }
                body.put("nextRecordsUrl", "/services/data/v" + cursor.version + "/query/" + locator + "-" + end);
            }
        }
        body.put("records", cursor.records.subList(position, end));
        return body;
    }

    private String open(Cursor cursor) {
        releaseIdleCursors();
        while (cursors.size() >= MAX_OPEN_CURSORS) {
            Iterator<String> oldest = cursors.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        String locator = locators.next("01g");
        cursors.put(locator, cursor);
        return locator;
    }

    private void releaseIdleCursors() {
        Instant idleSince = settings.clock().instant().minus(CURSOR_IDLE_TIMEOUT);
        cursors.values().removeIf(cursor -> cursor.lastUsed.isBefore(idleSince));
    }

    private static SalesforceApiException invalidLocator() {
        return new SalesforceApiException(400, "INVALID_QUERY_LOCATOR", "invalid query locator");
    }

    /** The batch size the request asks for, within Salesforce's bounds and the org's own limit. */
    private int batchSize(HttpServletRequest request) {
        int requested = BATCH_SIZE;
        String options = request.getHeader(QUERY_OPTIONS);
        if (options != null) {
            for (String option : options.split(",")) {
                String[] pair = option.trim().split("=", 2);
                if (pair.length == 2 && pair[0].trim().equalsIgnoreCase("batchSize")) {
                    try {
                        requested = Math.max(MIN_BATCH_SIZE, Math.min(BATCH_SIZE, Integer.parseInt(pair[1].trim())));
                    } catch (NumberFormatException ignored) {
                        // Salesforce's answer to a batch size that is not a number is undocumented; keep the default
                    }
                }
            }
        }
        return Math.min(requested, settings.queryBatchSize());
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
