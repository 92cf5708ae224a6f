package io.dialerbridge.emulator.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dialerbridge.emulator.ApiTraffic;
import io.dialerbridge.emulator.EmulatorSettings;
import io.dialerbridge.emulator.SalesforceEmulator;
import io.dialerbridge.emulator.data.RecordStore;
import io.dialerbridge.emulator.data.SObjectType;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Streaming API on the wire, message by message, for each trap of the wire facts' checklist that breaks
 * camel-salesforce silently when an emulator gets it wrong.
 */
class BayeuxWireIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private SalesforceEmulator emulator;
    private String token;
    /** The Authorization header's form: camel's {@code OAuth <token>} unless a test speaks as another client. */
    private String scheme = "OAuth ";
    /** The API version in the CometD URL: camel's default unless a test speaks as an older client. */
    private String cometdPath = "/cometd/56.0";
    private String cookie = "";
    private int messageId = 4_711;

    @BeforeEach
    void start() throws Exception {
        emulator = new SalesforceEmulator(EmulatorSettings.dialerOrg()).start();
        String form = "grant_type=password&client_id=dialer-bridge-local&client_secret=local-secret"
                + "&username=" + URLEncoder.encode("integration@dialer-bridge.local", StandardCharsets.UTF_8)
                + "&password=local-password";
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(emulator.baseUrl()
                        + "/services/oauth2/token")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        token = (String) JSON.readValue(login.body(), Map.class).get("access_token");
    }

    @AfterEach
    void stop() throws Exception {
        emulator.close();
    }

    private HttpResponse<String> post(String suffix, String authorization, List<Map<String, Object>> messages)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(emulator.baseUrl() + cometdPath + suffix))
                .header("Content-Type", "application/json;charset=UTF-8")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(messages)));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (!cookie.isEmpty()) {
            request.header("Cookie", cookie);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        response.headers().firstValue("Set-Cookie").ifPresent(value -> cookie = value.split(";", 2)[0]);
        return response;
    }

    private List<Map<String, Object>> exchange(String suffix, Map<String, Object> message) throws Exception {
        HttpResponse<String> response = post(suffix, scheme + token, List.of(message));
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readValue(response.body(), new TypeReference<>() { });
    }

    private String nextId() {
        return String.valueOf(messageId++);
    }

    private Map<String, Object> handshakeMessage() {
        return Map.of("id", nextId(), "version", "1.0", "supportedConnectionTypes", List.of("long-polling"),
                "channel", "/meta/handshake", "ext", Map.of("replay", true));
    }

    private String handshake() throws Exception {
        return (String) exchange("/handshake", handshakeMessage()).get(0).get("clientId");
    }

    private Map<String, Object> connect(String clientId, boolean first) throws Exception {
        Map<String, Object> message = first
                ? Map.of("id", nextId(), "channel", "/meta/connect", "connectionType", "long-polling",
                        "clientId", clientId, "advice", Map.of("timeout", 0))
                : Map.of("id", nextId(), "channel", "/meta/connect", "connectionType", "long-polling",
                        "clientId", clientId);
        List<Map<String, Object>> replies = exchange("/connect", message);
        return replies.get(replies.size() - 1);
    }

    private Map<String, Object> subscribe(String clientId, String channel, long replayId) throws Exception {
        return exchange("/subscribe", Map.of("id", nextId(), "channel", "/meta/subscribe", "clientId", clientId,
                "subscription", channel, "ext", Map.of("replay", Map.of(channel, replayId, "/topic/Other", -1))))
                .get(0);
    }

    @Nested
    class Handshake {

        @Test
        void repliesWithReplaySupportAndEchoesTheMessageId() throws Exception {
            Map<String, Object> request = handshakeMessage();
            Map<String, Object> reply = exchange("/handshake", request).get(0);

            assertThat(reply).containsEntry("successful", true).containsEntry("id", request.get("id"))
                    .containsEntry("channel", "/meta/handshake");
            assertThat(reply.get("ext")).isEqualTo(Map.of("replay", true, "payload.format", true));
            assertThat(reply.get("supportedConnectionTypes")).isEqualTo(List.of("long-polling"));
        }

        @Test
        void setsAPlainHttpBrowserCookieOnTheRootPath() throws Exception {
            HttpResponse<String> response = post("", "OAuth " + token, List.of(handshakeMessage()));

            String setCookie = response.headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(setCookie).startsWith("BAYEUX_BROWSER=").contains("Path=/").doesNotContainIgnoringCase("Secure");
        }

        @Test
        void anInvalidTokenIsDeniedWithTheFailureReasonCamelReads() throws Exception {
            HttpResponse<String> response = post("/handshake", "OAuth not-a-token", List.of(handshakeMessage()));
            Map<String, Object> reply = JSON.readValue(response.body(), new TypeReference<List<Map<String, Object>>>() { })
                    .get(0);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(reply).containsEntry("successful", false).containsEntry("error", "403::Handshake denied");
            assertThat(reply.get("ext")).isEqualTo(Map.of("sfdc", Map.of("failureReason",
                    "401::Authentication invalid")));
            assertThat(reply.get("advice")).isEqualTo(Map.of("reconnect", "none", "interval", 0));
        }

        @Test
        void aMissingTokenNamesTheMissingAuthentication() throws Exception {
            HttpResponse<String> response = post("/handshake", null, List.of(handshakeMessage()));

            assertThat(response.body()).contains("401::Request requires authentication");
        }

        @Test
        void aTokenWithoutASchemeAsEmpConnectorSendsItHandshakesConnectsAndSubscribes() throws Exception {
            scheme = "";

            String clientId = handshake();
            assertThat(connect(clientId, true)).containsEntry("successful", true);
            assertThat(subscribe(clientId, "/u/DialerControl", -1)).containsEntry("successful", true);
        }

        @ParameterizedTest
        @ValueSource(strings = {"not-a-token", "Basic ZGlhbGVyOnNlY3JldA==", "OAuth", "Bearer two words"})
        void anyHeaderWithoutALiveTokenIsAuthenticationInvalidNotAMissingOne(String authorization) throws Exception {
            HttpResponse<String> response = post("/handshake", authorization, List.of(handshakeMessage()));
            Map<String, Object> reply = JSON.readValue(response.body(), new TypeReference<List<Map<String, Object>>>() { })
                    .get(0);

            assertThat(reply).containsEntry("successful", false).containsEntry("error", "403::Handshake denied");
            assertThat(reply.get("ext")).isEqualTo(Map.of("sfdc", Map.of("failureReason",
                    "401::Authentication invalid")));
            assertThat(reply.get("advice")).isEqualTo(Map.of("reconnect", "none", "interval", 0));
        }

        @Test
        void aCometdClientWithABadBareTokenHandshakesOnceAndStops() throws Exception {
            org.eclipse.jetty.client.HttpClient jetty = new org.eclipse.jetty.client.HttpClient();
            jetty.start();
            org.cometd.client.BayeuxClient client = new org.cometd.client.BayeuxClient(
                    emulator.baseUrl() + "/cometd/56.0", new org.cometd.client.http.jetty.JettyHttpClientTransport(
                            new java.util.HashMap<>(), jetty) {
                        @Override
                        protected void customize(org.eclipse.jetty.client.Request request) {
                            request.headers(headers -> headers.put("Authorization", "not-a-token"));
                        }
                    });
            try {
                CompletableFuture<org.cometd.bayeux.Message> reply = new CompletableFuture<>();
                client.handshake(reply::complete);

                assertThat(reply.get(20, TimeUnit.SECONDS).isSuccessful()).isFalse();
                org.awaitility.Awaitility.await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                        .until(() -> emulator.streaming().refusedHandshakeCount() == 1);
            } finally {
                client.disconnect();
                jetty.stop();
            }
        }

        @Test
        void acceptsTheBearerSchemeAsSalesforceDocumentsIt() throws Exception {
            HttpResponse<String> response = post("/handshake", "Bearer " + token, List.of(handshakeMessage()));

            assertThat(response.body()).contains("\"successful\":true");
        }
    }

    @Nested
    class Connect {

        @Test
        void theFirstConnectIsAnsweredAtOnceWithSalesforceAdvice() throws Exception {
            String clientId = handshake();
            Map<String, Object> reply = connect(clientId, true);

            assertThat(reply).containsEntry("successful", true);
            assertThat(reply.get("advice")).isEqualTo(Map.of("interval", 0, "timeout", 110_000,
                    "reconnect", "retry"));
        }

        @Test
        void aHeldConnectIsAnsweredWithTheEventsAndItsOwnId() throws Exception {
            String clientId = handshake();
            connect(clientId, true);
            subscribe(clientId, "/u/DialerControl", -1);
            String connectId = String.valueOf(messageId);
            CompletableFuture<Map<String, Object>> held = CompletableFuture.supplyAsync(() -> {
                try {
                    return connect(clientId, false);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> emulator.streaming().subscriberCount("/u/DialerControl") == 1);
            emulator.genericChannels().push("/u/DialerControl", "PAUSE_CAMPAIGN *");

            assertThat(held.get(20, TimeUnit.SECONDS)).containsEntry("id", connectId)
                    .containsEntry("successful", true);
        }

        @Test
        void anExpiredTokenGetsAuthenticationInvalidWithReconnectNone() throws Exception {
            String clientId = handshake();
            emulator.tokens().expireAll();

            Map<String, Object> reply = connect(clientId, true);

            assertThat(reply).containsEntry("successful", false).containsEntry("error", "401::Authentication invalid");
            assertThat(reply.get("advice")).isEqualTo(Map.of("reconnect", "none", "interval", 0));
        }

        @Test
        void aSessionTheServerDroppedIsAnUnknownClient() throws Exception {
            String clientId = handshake();
            connect(clientId, true);
            emulator.streaming().dropAllSessions();

            Map<String, Object> reply = connect(clientId, false);

            assertThat(reply).containsEntry("successful", false).containsEntry("error", "403::Unknown client");
            assertThat(reply.get("advice")).isEqualTo(Map.of("reconnect", "handshake", "interval", 0));
        }

        @Test
        void aClientWithoutItsBrowserCookieIsRefused() throws Exception {
            String clientId = handshake();
            cookie = "";

            Map<String, Object> reply = connect(clientId, true);

            assertThat((String) reply.get("error")).isEqualTo("400::Client " + clientId
                    + " has established a session, but no BAYEUX_BROWSER cookie present");
        }

        @Test
        void anOverloadedServerSaysSoInTheFailureReason() throws Exception {
            String clientId = handshake();
            emulator.traffic().answerBusy(ApiTraffic.Api.STREAMING, 1);

            Map<String, Object> reply = connect(clientId, true);

            assertThat(reply).containsEntry("successful", false);
            assertThat(reply.get("ext")).isEqualTo(Map.of("sfdc", Map.of("failureReason",
                    "503::Server is too busy.  Please try your request again later.")));
        }
    }

    @Nested
    class Subscribe {

        @Test
        void everyReplyNamesTheSubscription() throws Exception {
            String clientId = handshake();
            connect(clientId, true);

            assertThat(subscribe(clientId, "/u/DialerControl", -1)).containsEntry("successful", true)
                    .containsEntry("subscription", "/u/DialerControl");
            assertThat(subscribe(clientId, "/topic/NoSuchTopic", -1)).containsEntry("successful", false)
                    .containsEntry("subscription", "/topic/NoSuchTopic")
                    .containsEntry("error", "400::The channel you requested to subscribe to doesn't exist"
                            + " {/topic/NoSuchTopic}");
        }

        @Test
        void anInvalidReplayIdGetsSalesforcesExactError() throws Exception {
            String clientId = handshake();
            connect(clientId, true);

            Map<String, Object> reply = subscribe(clientId, "/u/DialerControl", 9_999);

            assertThat(reply).containsEntry("successful", false).containsEntry("subscription", "/u/DialerControl")
                    .containsEntry("error", "400::The replayId {9999} you provided was invalid.  Please provide a"
                            + " valid ID, -2 to replay all events, or -1 to replay only new events.");
        }

        @Test
        void aLargeBacklogArrivesOverSeveralResponsesEachUnderTheClientsOneMebibyteLimit() throws Exception {
            String payload = "x".repeat(2_500);
            int events = 600;
            for (int i = 0; i < events; i++) {
                emulator.genericChannels().push("/u/DialerControl", payload);
            }
            String clientId = handshake();
            connect(clientId, true);
            subscribe(clientId, "/u/DialerControl", -2);

            int received = 0;
            int responses = 0;
            while (received < events) {
                HttpResponse<String> response = post("/connect", "OAuth " + token, List.of(Map.of("id", nextId(),
                        "channel", "/meta/connect", "connectionType", "long-polling", "clientId", clientId)));
                assertThat(response.body().getBytes(StandardCharsets.UTF_8).length).isLessThan(1024 * 1024);
                received += (int) JSON.readValue(response.body(), new TypeReference<List<Map<String, Object>>>() { })
                        .stream().filter(message -> "/u/DialerControl".equals(message.get("channel"))).count();
                responses++;
            }

            assertThat(received).isEqualTo(events);
            assertThat(responses).isGreaterThan(1);
        }

        @Test
        @SuppressWarnings("unchecked")
        void replayedEventsCarryIntegerReplayIdsAndTheGenericPayloadAsAString() throws Exception {
            emulator.genericChannels().push("/u/DialerControl", "RESUME_CAMPAIGN *");
            String clientId = handshake();
            connect(clientId, true);
            subscribe(clientId, "/u/DialerControl", -2);

            List<Map<String, Object>> replies = exchange("/connect", Map.of("id", nextId(), "channel",
                    "/meta/connect", "connectionType", "long-polling", "clientId", clientId));

            Map<String, Object> event = replies.get(0);
            assertThat(event).containsEntry("channel", "/u/DialerControl");
            Map<String, Object> data = (Map<String, Object>) event.get("data");
            assertThat(data).containsEntry("payload", "RESUME_CAMPAIGN *");
            assertThat(((Map<String, Object>) data.get("event")).get("replayId")).isInstanceOf(Integer.class);
        }
    }

    @Nested
    class FilteredPushTopic {

        private static final String FILTERED = "/topic/DialerLeads?Company='Acme'&LastName=Zed";

        @BeforeEach
        void defineTopicAndLeads() {
            RecordStore.Transaction setup = emulator.records().begin(emulator.settings().userId(), "");
            setup.create(SObjectType.PUSH_TOPIC, Map.of("Name", "DialerLeads", "ApiVersion", 56.0, "IsActive", true,
                    "Query", "SELECT Id, LastName, Company FROM Lead"));
            setup.commit();
            for (Map<String, Object> lead : List.<Map<String, Object>>of(
                    Map.of("LastName", "Lovelace", "Company", "Acme"),
                    Map.of("LastName", "Babbage", "Company", "Difference Engines"),
                    Map.of("LastName", "Zed", "Company", "Elsewhere"))) {
                RecordStore.Transaction create = emulator.records().begin(emulator.settings().userId(), "");
                create.create(SObjectType.LEAD, lead);
                create.commit();
            }
        }

        @Test
        @SuppressWarnings("unchecked")
        void deliversOnlyMatchingRecordsOnTheChannelAsSubscribedBesideAnUnfilteredSubscription() throws Exception {
            String clientId = handshake();
            connect(clientId, true);

            assertThat(subscribe(clientId, FILTERED, -2)).containsEntry("successful", true)
                    .containsEntry("subscription", FILTERED);
            assertThat(subscribe(clientId, "/topic/DialerLeads", -2)).containsEntry("successful", true);
            List<Map<String, Object>> replies = exchange("/connect", Map.of("id", nextId(), "channel",
                    "/meta/connect", "connectionType", "long-polling", "clientId", clientId));

            Map<String, List<Object>> lastNamesByChannel = new java.util.TreeMap<>();
            replies.stream().filter(message -> message.containsKey("data")).forEach(message ->
                    lastNamesByChannel.computeIfAbsent((String) message.get("channel"), key -> new java.util.ArrayList<>())
                            .add(((Map<String, Object>) ((Map<String, Object>) message.get("data")).get("sobject"))
                                    .get("LastName")));
            // '&' is a logical OR in Salesforce's filters: Acme's Lovelace and Zed of elsewhere, not Babbage.
            assertThat(lastNamesByChannel).isEqualTo(Map.of(
                    FILTERED, List.of("Lovelace", "Zed"),
                    "/topic/DialerLeads", List.of("Lovelace", "Babbage", "Zed")));
        }

        @Test
        void anUnsubscribeOfTheFilteredChannelEndsItsFeed() throws Exception {
            String clientId = handshake();
            connect(clientId, true);
            subscribe(clientId, FILTERED, -1);

            Map<String, Object> reply = exchange("/unsubscribe", Map.of("id", nextId(), "channel",
                    "/meta/unsubscribe", "clientId", clientId, "subscription", FILTERED)).get(0);

            assertThat(reply).containsEntry("successful", true).containsEntry("subscription", FILTERED);
            assertThat(emulator.streaming().subscriberCount("/topic/DialerLeads")).isZero();
        }

        @Test
        void aFilteredSubscribeOrUnsubscribeOfADroppedClientIsAnUnknownClient() throws Exception {
            String clientId = handshake();
            connect(clientId, true);
            emulator.streaming().dropAllSessions();

            for (String meta : List.of("/meta/subscribe", "/meta/unsubscribe")) {
                assertThat(exchange("", Map.of("id", nextId(), "channel", meta, "clientId", clientId,
                        "subscription", FILTERED)).get(0))
                        .containsEntry("successful", false).containsEntry("error", "403::Unknown client");
            }
        }

        @Test
        void aFilterOnAFieldTheTopicDoesNotSelectIsRefused() throws Exception {
            String clientId = handshake();
            connect(clientId, true);

            assertThat(subscribe(clientId, "/topic/DialerLeads?Phone='+14155550134'", -1))
                    .containsEntry("successful", false)
                    .containsEntry("subscription", "/topic/DialerLeads?Phone='+14155550134'")
                    .containsEntry("error", "400::Query fields {Phone} do not exist on the topic entity");
        }

        @Test
        void aFilterOnAnUnknownTopicIsAnUnknownChannel() throws Exception {
            String clientId = handshake();
            connect(clientId, true);

            assertThat(subscribe(clientId, "/topic/NoSuchTopic?Company=Acme", -1))
                    .containsEntry("successful", false)
                    .containsEntry("error", "400::The channel you requested to subscribe to doesn't exist"
                            + " {/topic/NoSuchTopic?Company=Acme}");
        }
    }

    @Nested
    class ApiVersions {

        private Map<String, Object> refusedHandshake() throws Exception {
            HttpResponse<String> response = post("/handshake", "OAuth " + token, List.of(handshakeMessage()));
            assertThat(response.statusCode()).isEqualTo(200);
            return JSON.readValue(response.body(), new TypeReference<List<Map<String, Object>>>() { }).get(0);
        }

        @ParameterizedTest
        @ValueSource(strings = {"/cometd/36.0", "/cometd/replay/36.0", "/cometd/29.0"})
        void aVersionBelow37IsRefusedWithSalesforcesError(String path) throws Exception {
            cometdPath = path;

            Map<String, Object> reply = refusedHandshake();

            assertThat(reply).containsEntry("successful", false).containsEntry("error", "400::Unsupported API version."
                    + " Only API versions '37.0' and later are supported. URI format: '/cometd/66.0'");
            assertThat(reply.get("advice")).isEqualTo(Map.of("reconnect", "none", "interval", 0));
            assertThat(emulator.streaming().handshakeCount()).isZero();
        }

        @Test
        void aUrlWithoutAVersionIsToldTheVersionIsMandatory() throws Exception {
            cometdPath = "/cometd";

            assertThat(refusedHandshake()).containsEntry("successful", false).containsEntry("error",
                    "400::API version in the URI is mandatory. URI format: '/cometd/66.0'");
        }

        @Test
        void version37IsTheOldestAccepted() throws Exception {
            cometdPath = "/cometd/37.0";

            assertThat(handshake()).isNotBlank();
        }

        @SuppressWarnings("unchecked")
        private Map<String, Object> replayedPlatformEvent() throws Exception {
            emulator.platformEvents().publish("Dialer_Command__e", Map.of("Command__c", "PAUSE_CAMPAIGN"),
                    emulator.settings().userId());
            String clientId = handshake();
            connect(clientId, true);
            subscribe(clientId, "/event/Dialer_Command__e", -2);
            List<Map<String, Object>> replies = exchange("/connect", Map.of("id", nextId(), "channel",
                    "/meta/connect", "connectionType", "long-polling", "clientId", clientId));
            Map<String, Object> data = (Map<String, Object>) replies.get(0).get("data");
            return (Map<String, Object>) data.get("event");
        }

        @Test
        void platformEventsCarryEventUuidFromVersion52() throws Exception {
            cometdPath = "/cometd/52.0";

            assertThat(replayedPlatformEvent()).containsKeys("EventUuid", "replayId");
        }

        @Test
        void platformEventsBefore52HaveOnlyTheReplayId() throws Exception {
            cometdPath = "/cometd/51.0";

            assertThat(replayedPlatformEvent()).containsOnlyKeys("replayId");
        }
    }

    @Nested
    class ClientIds {

        @Test
        void connectAndSubscribeRepliesNameTheClientAsSalesforceDoes() throws Exception {
            String clientId = handshake();

            assertThat(connect(clientId, true)).containsEntry("clientId", clientId);
            assertThat(subscribe(clientId, "/u/DialerControl", -1)).containsEntry("clientId", clientId);
            assertThat(subscribe(clientId, "/topic/NoSuchTopic", -1)).containsEntry("successful", false)
                    .containsEntry("clientId", clientId);
            assertThat(exchange("/unsubscribe", Map.of("id", nextId(), "channel", "/meta/unsubscribe",
                    "clientId", clientId, "subscription", "/u/DialerControl")).get(0))
                    .containsEntry("clientId", clientId);
        }

        @Test
        void aRefusedConnectNamesTheClientToo() throws Exception {
            String clientId = handshake();
            emulator.tokens().expireAll();

            assertThat(connect(clientId, true)).containsEntry("error", "401::Authentication invalid")
                    .containsEntry("clientId", clientId);
        }

        @Test
        void anUnknownClientIsNotNamed() throws Exception {
            String clientId = handshake();
            connect(clientId, true);
            emulator.streaming().dropAllSessions();

            assertThat(connect(clientId, false)).containsEntry("error", "403::Unknown client")
                    .doesNotContainKey("clientId");
        }
    }
}
