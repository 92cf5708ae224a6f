package io.dialerbridge.salesforce;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.salesforce.SalesforceEndpointConfig;
import org.apache.camel.component.salesforce.api.NoSuchSObjectException;

/**
 * Reads current records from Salesforce over REST through the {@code salesforce} component. It serves the moments when
 * a stream cannot say what a record looks like: gap events, overflow events, replay positions that expired, and
 * CampaignMembers the bridge never saw. Each call is one request; paging and retrying are the caller's.
 */
public class SalesforceRecords {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private final ProducerTemplate salesforce;

    public SalesforceRecords(CamelContext camel) {
        this.salesforce = camel.createProducerTemplate();
    }

    /**
     * One batch of a query's result.
     *
     * @param nextRecordsUrl where the next batch is ({@link #queryMore}), or null when this was the last
     * @param totalSize how many records the whole query selects, as Salesforce says; -1 when it did not
     */
    public record QueryPage(List<Map<String, Object>> records, String nextRecordsUrl, long totalSize) {

        public QueryPage {
            records = List.copyOf(records);
        }

        public QueryPage(List<Map<String, Object>> records, String nextRecordsUrl) {
            this(records, nextRecordsUrl, -1);
        }

        public boolean done() {
            return nextRecordsUrl == null;
        }
    }

    /** The record's current fields, or empty when Salesforce no longer has it (deleted or never there). */
    public Optional<Map<String, Object>> fetch(String objectName, String id, List<String> fields) {
        try {
            Object body = salesforce.requestBodyAndHeaders("salesforce:getSObject?rawPayload=true", null, Map.of(
                    SalesforceEndpointConfig.SOBJECT_NAME, objectName,
                    SalesforceEndpointConfig.SOBJECT_ID, id,
                    SalesforceEndpointConfig.SOBJECT_FIELDS, String.join(",", fields)));
            return Optional.of(parse(body));
        } catch (CamelExecutionException e) {
            if (e.getCause() instanceof NoSuchSObjectException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The first batch of a SOQL query over live records. */
    public QueryPage query(String soql) {
        return page(salesforce.requestBodyAndHeader("salesforce:query?rawPayload=true", null,
                SalesforceEndpointConfig.SOBJECT_QUERY, soql));
    }

    /** The first batch of a SOQL query that also reads the recycle bin ({@code IsDeleted = true}). */
    public QueryPage queryAll(String soql) {
        return page(salesforce.requestBodyAndHeader("salesforce:queryAll?rawPayload=true", null,
                SalesforceEndpointConfig.SOBJECT_QUERY, soql));
    }

    /** The batch a previous batch's {@code nextRecordsUrl} points to. */
    public QueryPage queryMore(String nextRecordsUrl) {
        // camel's queryMore takes the nextRecordsUrl from the header its query operations take their SOQL from
        return page(salesforce.requestBodyAndHeader("salesforce:queryMore?rawPayload=true", null,
                SalesforceEndpointConfig.SOBJECT_QUERY, nextRecordsUrl));
    }

    @SuppressWarnings("unchecked")
    private static QueryPage page(Object body) {
        Map<String, Object> result = parse(body);
        List<Map<String, Object>> records = (List<Map<String, Object>>) result.getOrDefault("records", List.of());
        Object next = result.get("nextRecordsUrl");
        boolean done = !Boolean.FALSE.equals(result.get("done"));
        if (!done && !(next instanceof String)) {
            throw new IllegalStateException("Salesforce said a query is not done but gave no nextRecordsUrl");
        }
        Object totalSize = result.get("totalSize");
        return new QueryPage(records, done ? null : (String) next,
                totalSize instanceof Number size ? size.longValue() : -1);
    }

    private static Map<String, Object> parse(Object body) {
        try {
            if (body instanceof InputStream stream) {
                try (stream) {
                    return JSON.readValue(stream, MAP);
                }
            }
            return JSON.readValue(String.valueOf(body), MAP);
        } catch (IOException e) {
            throw new IllegalStateException("Salesforce answered with something that is not a JSON object", e);
        }
    }
}
