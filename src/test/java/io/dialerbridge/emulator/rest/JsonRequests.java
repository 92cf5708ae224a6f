package io.dialerbridge.emulator.rest;

import com.fasterxml.jackson.core.type.TypeReference;
import io.dialerbridge.emulator.data.SalesforceApiException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads REST request bodies; anything that is not the JSON the resource expects fails as JSON_PARSER_ERROR, the
 * code Salesforce gives both bad syntax and a wrong shape.
 */
final class JsonRequests {

    private JsonRequests() {
    }

    /** The body as a JSON object, keys in the order sent; malformed JSON surfaces as a JsonProcessingException. */
    static Map<String, Object> object(HttpServletRequest request) throws IOException {
        Map<String, Object> body = JsonResponses.JSON.readValue(request.getInputStream(),
                new TypeReference<LinkedHashMap<String, Object>>() { });
        if (body == null) {
            throw parserError("The request body is not a JSON object");
        }
        return body;
    }

    /** A member that must be a JSON array of objects, such as sObject Collections' {@code records}. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> objects(Map<String, Object> body, String member) {
        Object value = body.get(member);
        if (!(value instanceof List<?> list) || list.stream().anyMatch(item -> !(item instanceof Map))) {
            throw parserError("Expected '" + member + "' to be an array of JSON objects");
        }
        return (List<Map<String, Object>>) list;
    }

    static SalesforceApiException parserError(String message) {
        return new SalesforceApiException(400, "JSON_PARSER_ERROR", message);
    }
}
