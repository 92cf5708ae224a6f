package io.dialerbridge.emulator.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.dialerbridge.emulator.ApiTraffic;
import io.dialerbridge.emulator.data.CaseSafeId;
import io.dialerbridge.emulator.data.ChangeType;
import io.dialerbridge.emulator.data.RecordStore;
import io.dialerbridge.emulator.data.SObjectType;
import io.dialerbridge.emulator.data.SalesforceApiException;
import io.dialerbridge.emulator.oauth.TokenStore;
import io.dialerbridge.emulator.pubsub.PubSubServer;
import io.dialerbridge.emulator.rest.JsonResponses;
import io.dialerbridge.emulator.streaming.ChangeEventPublisher;
import io.dialerbridge.emulator.streaming.EventBus;
import io.dialerbridge.emulator.streaming.StreamingServer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The emulator's own control API under {@code /emulator}: the faults and chores a test or a demo needs that a real
 * org only produces by accident (expired tokens, dropped sessions, overload, purged events, gap events).
 */
public final class AdminServlet extends HttpServlet {

    public static final String PATH_SPEC = "/emulator/*";

    private final TokenStore tokens;
    private final StreamingServer streaming;
    private final PubSubServer pubSub;
    private final ApiTraffic traffic;
    private final EventBus bus;
    private final RecordStore records;
    private final ChangeEventPublisher changeEvents;
    private final String userId;
    private final Clock clock;

    public AdminServlet(TokenStore tokens, StreamingServer streaming, PubSubServer pubSub, ApiTraffic traffic,
            EventBus bus, RecordStore records, ChangeEventPublisher changeEvents, String userId, Clock clock) {
        this.tokens = tokens;
        this.streaming = streaming;
        this.pubSub = pubSub;
        this.traffic = traffic;
        this.bus = bus;
        this.records = records;
        this.changeEvents = changeEvents;
        this.userId = userId;
        this.clock = clock;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String route = request.getMethod() + " " + (request.getPathInfo() == null ? "/" : request.getPathInfo());
        try {
            switch (route) {
                case "POST /tokens/expire" -> {
                    int expired = tokens.expireAll();
                    // Held long polls answer now, so streaming clients meet the expiry on their next request.
                    streaming.wakeAll();
                    // Pub/Sub streams end with the auth error at once, as a client's next call would.
                    pubSub.checkTokens();
                    JsonResponses.write(response, 200, Map.of("expired", expired));
                }
                case "POST /sessions/drop" -> JsonResponses.write(response, 200,
                        Map.of("dropped", streaming.dropAllSessions()));
                case "POST /busy" -> {
                    int count = intParameter(request, "count", 1);
                    ApiTraffic.Api api = ApiTraffic.Api.valueOf(
                            Optional.ofNullable(request.getParameter("api")).orElse("rest").toUpperCase(Locale.ROOT));
                    traffic.answerBusy(api, count);
                    JsonResponses.write(response, 200, Map.of("api", api.name().toLowerCase(Locale.ROOT),
                            "count", count));
                }
                case "POST /events/purge" -> {
                    long through = Long.parseLong(required(request, "throughReplayId"));
                    JsonResponses.write(response, 200,
                            Map.of("purged", bus.purge(request.getParameter("channel"), through)));
                }
                case "GET /subscribers" -> JsonResponses.write(response, 200, Map.of(
                        "cometd", streaming.subscriberCounts(), "pubsub", pubSub.subscriberCounts()));
                case "POST /pubsub/streams/end" -> JsonResponses.write(response, 200, Map.of("ended",
                        pubSub.endStreams(Boolean.parseBoolean(request.getParameter("error")))));
                case "GET /events" -> JsonResponses.write(response, 200, Map.of("lastReplayId", bus.lastReplayId(),
                        "retained", bus.retainedCounts()));
                case "POST /cdc/gap" -> {
                    Map<String, Object> body = body(request);
                    String recordId = String.valueOf(body.get("recordId"));
                    SObjectType type = records.typeOf(recordId).filter(SObjectType::isChangeDataCaptureEnabled)
                            .orElseThrow(SalesforceApiException::notFound);
                    ChangeType changeType = ChangeType.valueOf(
                            String.valueOf(body.getOrDefault("changeType", "UPDATE")).toUpperCase(Locale.ROOT));
                    long replayId = changeEvents.publishGap(type, recordId, changeType, userId, clock.instant());
                    JsonResponses.write(response, 200, Map.of("replayId", replayId));
                }
                case "POST /cdc/overflow" -> {
                    Map<String, Object> body = body(request);
                    SObjectType type = SObjectType.byName(String.valueOf(body.get("entity")))
                            .filter(SObjectType::isChangeDataCaptureEnabled)
                            .orElseThrow(SalesforceApiException::notFound);
                    long replayId = changeEvents.publishOverflow(type, userId, clock.instant());
                    JsonResponses.write(response, 200, Map.of("replayId", replayId));
                }
                case "GET /api-calls" -> JsonResponses.write(response, 200, traffic.calls());
                case "DELETE /api-calls" -> {
                    traffic.resetCalls();
                    response.setStatus(204);
                }
                default -> {
                    if (route.startsWith("POST /records/") && route.endsWith("/undelete")) {
                        undelete(route.substring("POST /records/".length(), route.length() - "/undelete".length()),
                                response);
                    } else {
                        JsonResponses.error(response, 404, "NOT_FOUND", "No emulator admin resource " + route,
                                List.of());
                    }
                }
            }
        } catch (SalesforceApiException failure) {
            JsonResponses.error(response, failure);
        } catch (IllegalArgumentException badInput) {
            JsonResponses.error(response, 400, "INVALID_REQUEST", String.valueOf(badInput.getMessage()), List.of());
        } catch (JsonProcessingException malformed) {
            JsonResponses.error(response, 400, "JSON_PARSER_ERROR", "The request body is not JSON: "
                    + malformed.getOriginalMessage(), List.of());
        }
    }

    private void undelete(String id, HttpServletResponse response) throws IOException {
        RecordStore.Transaction transaction = records.begin(userId, "");
        transaction.undelete(CaseSafeId.isValid(id) ? CaseSafeId.of(id) : id);
        transaction.commit();
        JsonResponses.write(response, 200, Map.of("id", id, "success", true, "errors", List.of()));
    }

    private static Map<String, Object> body(HttpServletRequest request) throws IOException {
        Map<String, Object> body = JsonResponses.JSON.readValue(request.getInputStream(),
                new TypeReference<LinkedHashMap<String, Object>>() { });
        return body == null ? Map.of() : body;
    }

    private static String required(HttpServletRequest request, String name) {
        String value = request.getParameter(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("query parameter '" + name + "' is required");
        }
        return value;
    }

    private static int intParameter(HttpServletRequest request, String name, int fallback) {
        String value = request.getParameter(name);
        return value == null ? fallback : Integer.parseInt(value);
    }
}
