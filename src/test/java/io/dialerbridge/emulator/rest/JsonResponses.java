package io.dialerbridge.emulator.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dialerbridge.emulator.data.SalesforceApiException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes JSON bodies, and errors in Salesforce's array format {@code [{"message","errorCode","fields"}]}. */
public final class JsonResponses {

    public static final ObjectMapper JSON = new ObjectMapper();

    private JsonResponses() {
    }

    public static void write(HttpServletResponse response, int status, Object body) throws IOException {
        response.setStatus(status);
        // Jetty writes the charset as "utf-8"; charset names are case-insensitive (RFC 9110), and no client minds
        response.setContentType("application/json;charset=UTF-8");
        JSON.writeValue(response.getOutputStream(), body);
    }

    public static void error(HttpServletResponse response, int status, String errorCode, String message,
            List<String> fields) throws IOException {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("errorCode", errorCode);
        if (!fields.isEmpty()) {
            error.put("fields", fields);
        }
        write(response, status, List.of(error));
    }

    public static void error(HttpServletResponse response, SalesforceApiException failure) throws IOException {
        error(response, failure.status(), failure.errorCode(), failure.getMessage(), failure.fields());
    }
}
