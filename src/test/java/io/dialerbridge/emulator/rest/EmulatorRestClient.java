package io.dialerbridge.emulator.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dialerbridge.emulator.EmulatorSettings;
import io.dialerbridge.emulator.SalesforceEmulator;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A plain HTTP client for the emulator's REST API that logs in with the password grant, as any integration would,
 * so tests see exactly the statuses, headers and bodies on the wire.
 */
final class EmulatorRestClient {

    /** The resources of the API version camel-salesforce 4.17 uses by default. */
    static final String V56 = "/services/data/v56.0/";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final String baseUrl;
    private final String accessToken;

    /** One HTTP answer; {@code json} is null when the body is empty. */
    record Reply(int status, String contentType, String body, JsonNode json) {

        JsonNode firstError() {
            return json.get(0);
        }
    }

    private EmulatorRestClient(String baseUrl, String accessToken) {
        this.baseUrl = baseUrl;
        this.accessToken = accessToken;
    }

    static EmulatorRestClient loggedIn(SalesforceEmulator emulator) throws IOException, InterruptedException {
        EmulatorSettings settings = emulator.settings();
        String form = Map.of("grant_type", "password", "client_id", settings.clientId(),
                        "client_secret", settings.clientSecret(), "username", settings.username(),
                        "password", settings.password())
                .entrySet().stream()
                .map(entry -> entry.getKey() + "=" + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> token = HttpClient.newHttpClient().send(HttpRequest.newBuilder()
                        .uri(URI.create(emulator.baseUrl() + "/services/oauth2/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (token.statusCode() != 200) {
            throw new IllegalStateException("login failed: " + token.body());
        }
        return new EmulatorRestClient(emulator.baseUrl(), JSON.readTree(token.body()).get("access_token").asText());
    }

    Reply get(String path) throws IOException, InterruptedException {
        return send("GET", path, null, true);
    }

    /** A GET with extra request headers, given as name, value, name, value… */
    Reply get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Accept", "application/json")
                .header("Authorization", "Bearer " + accessToken)
                .headers(headers)
                .GET();
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        String text = response.body();
        return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null), text,
                text == null || text.isEmpty() ? null : JSON.readTree(text));
    }

    /** The session this client logged in with, for tests that send it in another form. */
    String accessToken() {
        return accessToken;
    }

    /** A GET whose Authorization header is exactly the given value (none when null). */
    Reply getWithAuthorization(String path, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Accept", "application/json").GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        String text = response.body();
        return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null), text,
                text == null || text.isEmpty() ? null : JSON.readTree(text));
    }

    Reply post(String path, Object body) throws IOException, InterruptedException {
        return send("POST", path, body, true);
    }

    Reply patch(String path, Object body) throws IOException, InterruptedException {
        return send("PATCH", path, body, true);
    }

    Reply delete(String path) throws IOException, InterruptedException {
        return send("DELETE", path, null, true);
    }

    /**
     * Sends one request; a String body goes as is (so tests can send broken JSON), anything else as JSON.
     *
     * @param path an absolute path such as {@code /services/data/v56.0/sobjects/Lead}
     */
    Reply send(String method, String path, Object body, boolean withToken) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Accept", "application/json");
        if (withToken) {
            request.header("Authorization", "Bearer " + accessToken);
        }
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            String text = body instanceof String raw ? raw : JSON.writeValueAsString(body);
            request.header("Content-Type", "application/json;charset=UTF-8")
                    .method(method, HttpRequest.BodyPublishers.ofString(text));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        String text = response.body();
        return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null), text,
                text == null || text.isEmpty() ? null : JSON.readTree(text));
    }
}
