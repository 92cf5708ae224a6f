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
 * Reads current records from Salesforce over REST through the {@code salesforce} component, for the moments when a
 * stream cannot say what a record looks like: gap events, overflow events and replay positions that expired.
 */
public class SalesforceRecords {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private final ProducerTemplate salesforce;

    public SalesforceRecords(CamelContext camel) {
        this.salesforce = camel.createProducerTemplate();
    }

    /** The record's current fields, or empty when Salesforce no longer has it. */
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

    /** Every live record of an object (the first 2,000, as one query page holds), with the given fields. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> all(String objectName, List<String> fields) {
        Object body = salesforce.requestBodyAndHeader("salesforce:query?rawPayload=true", null,
                SalesforceEndpointConfig.SOBJECT_QUERY, "SELECT " + String.join(", ", fields) + " FROM " + objectName);
        return (List<Map<String, Object>>) parse(body).getOrDefault("records", List.of());
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
