package io.dialerbridge.emulator.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dialerbridge.emulator.EmulatorSettings;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

class OAuthServletIT {

    private static final String ORG_ID = "00D000000000001AAA";
    private static final String USER_ID = "005000000000001AAA";
    private static final String RS256_HEADER = "{\"alg\":\"RS256\"}";
    /** 28 bytes, so its base64url form ends in '=' as camel's padded encoder would leave it. */
    private static final String PADDED_HEADER = "{\"alg\":\"RS256\", \"typ\":\"JWT\"}";

    @TempDir
    static Path keyDirectory;
    private static TestJwtKeys keys;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private final TestClock clock = new TestClock(Instant.parse("2026-03-02T09:00:00.123Z"));
    private final EmulatorSettings settings = new EmulatorSettings().clock(clock).tokenTimeToLive(Duration.ofMinutes(30));
    private OAuthTestServer server;

    @BeforeAll
    static void generateKeys() throws Exception {
        keys = TestJwtKeys.generate(keyDirectory);
    }

    @BeforeEach
    void startServer() throws Exception {
        server = OAuthTestServer.start(settings);
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
    }

    @Nested
    class PasswordGrant {

        @Test
        void answersWithExactlyTheFieldsSalesforceSends() throws Exception {
            HttpResponse<String> response = post("/services/oauth2/token", passwordForm());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).isEqualToIgnoringCase("application/json;charset=UTF-8"));
            Map<String, Object> body = parse(response);
            assertThat(body).containsOnlyKeys("access_token", "instance_url", "id", "token_type", "issued_at",
                    "signature");
            assertThat(body).containsEntry("instance_url", server.baseUrl()).containsEntry("token_type", "Bearer");
            assertThat(server.tokens().isValid((String) body.get("access_token"))).isTrue();
        }

        @Test
        void identifiesTheOrgAndUserWithEighteenCharacterIds() throws Exception {
            Map<String, Object> body = parse(post("/services/oauth2/token", passwordForm()));

            String id = (String) body.get("id");
            assertThat(id).isEqualTo(server.baseUrl() + "/id/" + ORG_ID + "/" + USER_ID);
            // camel reads the org id as the 18 characters after "id/"
            assertThat(id.substring(id.indexOf("id/") + 3, id.indexOf("id/") + 21)).isEqualTo(ORG_ID);
        }

        @Test
        void widensFifteenCharacterIdsInTheSettings() throws Exception {
            settings.orgId("00D5g000004XyZa").userId("0055g00000AbCdE");

            Map<String, Object> body = parse(post("/services/oauth2/token", passwordForm()));

            assertThat((String) body.get("id")).matches(".*/id/00D5g000004XyZa[A-Z0-5]{3}/0055g00000AbCdE[A-Z0-5]{3}");
            assertThat((String) body.get("access_token")).startsWith("00D5g000004XyZa!AR");
        }

        @Test
        void statesIssuedAtInEpochMilliseconds() throws Exception {
            Map<String, Object> body = parse(post("/services/oauth2/token", passwordForm()));

            assertThat(body.get("issued_at")).isEqualTo(Long.toString(clock.millis())).isEqualTo("1772442000123");
        }

        @Test
        void signsIdAndIssuedAtWithTheClientSecret() throws Exception {
            Map<String, Object> body = parse(post("/services/oauth2/token", passwordForm()));

            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(settings.clientSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] expected = mac.doFinal((body.get("id") + (String) body.get("issued_at")).getBytes(StandardCharsets.UTF_8));
            assertThat(Base64.getDecoder().decode((String) body.get("signature"))).isEqualTo(expected);
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("io.dialerbridge.emulator.oauth.OAuthServletIT#passwordFailures")
        void refusesWithOnlyErrorAndDescription(String field, String value, String error, String description)
                throws Exception {
            Map<String, String> form = passwordForm();
            if (value == null) {
                form.remove(field);
            } else {
                form.put(field, value);
            }

            assertRefused(post("/services/oauth2/token", form), error, description);
        }

        @Test
        void leavesSecretsAndTokensOutOfTheLog() throws Exception {
            Logger logger = (Logger) LoggerFactory.getLogger("io.dialerbridge.emulator.oauth");
            Level level = logger.getLevel();
            ListAppender<ILoggingEvent> appender = new ListAppender<>();
            appender.start();
            logger.addAppender(appender);
            logger.setLevel(Level.TRACE);
            try {
                String token = (String) parse(post("/services/oauth2/token", passwordForm())).get("access_token");
                Map<String, String> wrong = passwordForm();
                wrong.put("password", "guessed-password");
                post("/services/oauth2/token", wrong);
                get("/services/oauth2/revoke?token=" + token);

                assertThat(appender.list).hasSizeGreaterThanOrEqualTo(3);
                String logged = appender.list.stream().map(ILoggingEvent::getFormattedMessage)
                        .collect(Collectors.joining("\n"));
                assertThat(logged).doesNotContain(settings.password(), settings.clientSecret(), "guessed-password",
                        token, settings.username());
            } finally {
                logger.detachAppender(appender);
                logger.setLevel(level);
            }
        }
    }

    static Stream<Arguments> passwordFailures() {
        return Stream.of(
                Arguments.of("client_id", "someone-else", "invalid_client_id", "client identifier invalid"),
                Arguments.of("client_secret", "wrong-secret", "invalid_client", "invalid client credentials"),
                Arguments.of("username", "intruder@example.com", "invalid_grant", "authentication failure"),
                Arguments.of("password", "wrong-password", "invalid_grant", "authentication failure"),
                Arguments.of("password", null, "invalid_request", "missing required parameter: password"),
                Arguments.of("client_id", null, "invalid_request", "missing required parameter: client_id"),
                Arguments.of("grant_type", "authorization_code", "unsupported_grant_type", "grant type not supported"),
                Arguments.of("grant_type", null, "invalid_request", "grant type is required"));
    }

    @Nested
    class ClientCredentialsGrant {

        @Test
        void issuesATokenWithApiScope() throws Exception {
            Map<String, Object> body = parse(post("/services/oauth2/token", Map.of("grant_type", "client_credentials",
                    "client_id", settings.clientId(), "client_secret", settings.clientSecret(), "format", "json")));

            assertThat(body).containsOnlyKeys("access_token", "scope", "instance_url", "id", "token_type", "issued_at",
                    "signature");
            assertThat(body).containsEntry("scope", "api");
            assertThat(server.tokens().isValid((String) body.get("access_token"))).isTrue();
        }

        @Test
        void refusesAWrongSecret() throws Exception {
            assertRefused(post("/services/oauth2/token", Map.of("grant_type", "client_credentials",
                    "client_id", settings.clientId(), "client_secret", "wrong")),
                    "invalid_client", "invalid client credentials");
        }

        @Test
        void refusesAMissingSecret() throws Exception {
            assertRefused(post("/services/oauth2/token", Map.of("grant_type", "client_credentials",
                    "client_id", settings.clientId())),
                    "invalid_request", "missing required parameter: client_secret");
        }
    }

    @Nested
    class RefreshTokenGrant {

        @Test
        void issuesAnAccessTokenWithoutASecret() throws Exception {
            HttpResponse<String> response = post("/services/oauth2/token", Map.of("grant_type", "refresh_token",
                    "client_id", settings.clientId(), "refresh_token", settings.refreshToken()));

            assertThat(response.statusCode()).isEqualTo(200);
            Map<String, Object> body = parse(response);
            assertThat(body).containsOnlyKeys("access_token", "instance_url", "id", "token_type", "issued_at",
                    "signature");
            assertThat(server.tokens().isValid((String) body.get("access_token"))).isTrue();
        }

        @Test
        void acceptsTheRightSecretAndRefusesAWrongOne() throws Exception {
            assertThat(post("/services/oauth2/token", Map.of("grant_type", "refresh_token", "client_id",
                    settings.clientId(), "client_secret", settings.clientSecret(),
                    "refresh_token", settings.refreshToken())).statusCode()).isEqualTo(200);

            assertRefused(post("/services/oauth2/token", Map.of("grant_type", "refresh_token", "client_id",
                    settings.clientId(), "client_secret", "wrong", "refresh_token", settings.refreshToken())),
                    "invalid_client", "invalid client credentials");
        }

        @Test
        void refusesAnUnknownRefreshToken() throws Exception {
            assertRefused(post("/services/oauth2/token", Map.of("grant_type", "refresh_token",
                    "client_id", settings.clientId(), "refresh_token", "made-up")),
                    "invalid_grant", "expired access/refresh token");
        }

        @Test
        void refusesARevokedRefreshToken() throws Exception {
            assertThat(post("/services/oauth2/revoke", Map.of("token", settings.refreshToken())).statusCode())
                    .isEqualTo(200);

            assertRefused(post("/services/oauth2/token", Map.of("grant_type", "refresh_token",
                    "client_id", settings.clientId(), "refresh_token", settings.refreshToken())),
                    "invalid_grant", "expired access/refresh token");
        }
    }

    @Nested
    class JwtBearerGrant {

        @BeforeEach
        void registerCertificate() {
            settings.jwtCertificatePem(keys.certificatePem());
        }

        @Test
        void acceptsCamelsFormPaddedWithAStringExpiry() throws Exception {
            String assertion = keys.assertion(PADDED_HEADER, claims(server.baseUrl(), "\"" + inFourMinutes() + "\""));
            assertThat(assertion.split("\\.")[0]).endsWith("=");

            HttpResponse<String> response = post("/services/oauth2/token", jwtForm(assertion));

            assertThat(response.statusCode()).isEqualTo(200);
            Map<String, Object> body = parse(response);
            assertThat(body).containsOnlyKeys("access_token", "scope", "instance_url", "id", "token_type", "issued_at",
                    "signature");
            assertThat(body).containsEntry("scope", "api").containsEntry("instance_url", server.baseUrl());
            assertThat(server.tokens().isValid((String) body.get("access_token"))).isTrue();
        }

        @Test
        void acceptsANumericExpiryAndSalesforceLoginServers() throws Exception {
            for (String audience : new String[] {"https://login.salesforce.com", "https://test.salesforce.com/"}) {
                String assertion = keys.assertion(RS256_HEADER, claims(audience, Long.toString(inFourMinutes())));

                assertThat(post("/services/oauth2/token", jwtForm(assertion)).statusCode()).as(audience).isEqualTo(200);
            }
        }

        @Test
        void refusesAnAssertionSignedByAnotherKey() throws Exception {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(generator.generateKeyPair().getPrivate());
            Base64.Encoder encoder = Base64.getUrlEncoder();
            String signingInput = encoder.encodeToString(RS256_HEADER.getBytes(StandardCharsets.UTF_8)) + "."
                    + encoder.encodeToString(claims(server.baseUrl(), Long.toString(inFourMinutes()))
                            .getBytes(StandardCharsets.UTF_8));
            signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            String forged = signingInput + "." + encoder.encodeToString(signer.sign());

            assertRefused(post("/services/oauth2/token", jwtForm(forged)), "invalid_grant", "authentication failure");
        }

        @Test
        void refusesClaimsChangedAfterSigning() throws Exception {
            String[] signed = keys.assertion(RS256_HEADER, claims(server.baseUrl(), Long.toString(inFourMinutes())))
                    .split("\\.");
            String otherClaims = Base64.getUrlEncoder().encodeToString(
                    claims(server.baseUrl(), Long.toString(inFourMinutes() + 3600)).getBytes(StandardCharsets.UTF_8));

            assertRefused(post("/services/oauth2/token", jwtForm(signed[0] + "." + otherClaims + "." + signed[2])),
                    "invalid_grant", "authentication failure");
        }

        @Test
        void refusesAnotherAudience() throws Exception {
            String assertion = keys.assertion(RS256_HEADER, claims("https://login.example.com", "\"" + inFourMinutes() + "\""));

            assertRefused(post("/services/oauth2/token", jwtForm(assertion)), "invalid_grant", "audience is invalid");
        }

        @Test
        void refusesAnExpiredAssertion() throws Exception {
            String assertion = keys.assertion(RS256_HEADER,
                    claims(server.baseUrl(), "\"" + clock.instant().getEpochSecond() + "\""));

            assertRefused(post("/services/oauth2/token", jwtForm(assertion)), "invalid_grant",
                    "expired authorization code");
        }

        @Test
        void refusesAnUnknownIssuerOrSubject() throws Exception {
            String foreignClient = keys.assertion(RS256_HEADER, "{\"iss\":\"other-app\",\"sub\":\"" + settings.username()
                    + "\",\"aud\":\"" + server.baseUrl() + "\",\"exp\":" + inFourMinutes() + "}");
            String foreignUser = keys.assertion(RS256_HEADER, "{\"iss\":\"" + settings.clientId()
                    + "\",\"sub\":\"intruder@example.com\",\"aud\":\"" + server.baseUrl() + "\",\"exp\":"
                    + inFourMinutes() + "}");

            assertRefused(post("/services/oauth2/token", jwtForm(foreignClient)), "invalid_client_id",
                    "client identifier invalid");
            assertRefused(post("/services/oauth2/token", jwtForm(foreignUser)), "invalid_grant",
                    "authentication failure");
        }

        @Test
        void refusesSomethingThatIsNotAJwt() throws Exception {
            assertRefused(post("/services/oauth2/token", jwtForm("not.a-jwt")), "invalid_grant", "invalid assertion");
        }

        @Test
        void refusesEveryAssertionWhenNoCertificateIsRegistered() throws Exception {
            settings.jwtCertificatePem(null);
            String assertion = keys.assertion(RS256_HEADER, claims(server.baseUrl(), Long.toString(inFourMinutes())));

            HttpResponse<String> response = post("/services/oauth2/token", jwtForm(assertion));

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(parse(response)).containsOnlyKeys("error", "error_description")
                    .containsEntry("error", "invalid_grant");
        }

        private String claims(String audience, String exp) {
            return "{\"iss\":\"" + settings.clientId() + "\",\"sub\":\"" + settings.username() + "\",\"aud\":\""
                    + audience + "\",\"exp\":" + exp + "}";
        }

        private long inFourMinutes() {
            return clock.instant().getEpochSecond() + 270;
        }

        private Map<String, String> jwtForm(String assertion) {
            return Map.of("grant_type", OAuthServlet.JWT_BEARER, "client_id", settings.clientId(), "format", "json",
                    "assertion", assertion);
        }
    }

    @Nested
    class Expiry {

        @Test
        void tokensDieWhenTheirTimeToLivePasses() throws Exception {
            String token = (String) parse(post("/services/oauth2/token", passwordForm())).get("access_token");

            clock.advance(Duration.ofMinutes(29));
            assertThat(server.tokens().isValid(token)).isTrue();
            clock.advance(Duration.ofMinutes(1));
            assertThat(server.tokens().isValid(token)).isFalse();
        }

        @Test
        void expireAllEndsEveryIssuedTokenAndLoginStillWorks() throws Exception {
            String first = (String) parse(post("/services/oauth2/token", passwordForm())).get("access_token");
            String second = (String) parse(post("/services/oauth2/token", passwordForm())).get("access_token");

            assertThat(server.tokens().expireAll()).isEqualTo(2);

            assertThat(server.tokens().isValid(first)).isFalse();
            assertThat(server.tokens().isValid(second)).isFalse();
            String third = (String) parse(post("/services/oauth2/token", passwordForm())).get("access_token");
            assertThat(server.tokens().isValid(third)).isTrue();
        }
    }

    @Nested
    class Revoke {

        @Test
        void revokesWithAQueryParameterAsCamelDoes() throws Exception {
            String token = (String) parse(post("/services/oauth2/token", passwordForm())).get("access_token");

            // camel appends the token to the URL unencoded
            HttpResponse<String> response = get("/services/oauth2/revoke?token=" + token);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(server.tokens().isValid(token)).isFalse();
        }

        @Test
        void revokesWithAFormPost() throws Exception {
            String token = (String) parse(post("/services/oauth2/token", passwordForm())).get("access_token");

            assertThat(post("/services/oauth2/revoke", Map.of("token", token)).statusCode()).isEqualTo(200);
            assertThat(server.tokens().isValid(token)).isFalse();
        }

        @Test
        void refusesATokenItDoesNotKnow() throws Exception {
            String token = (String) parse(post("/services/oauth2/token", passwordForm())).get("access_token");
            get("/services/oauth2/revoke?token=" + token);

            assertRefused(get("/services/oauth2/revoke?token=" + token), "invalid_token", "invalid token");
        }

        @Test
        void refusesARequestWithoutAToken() throws Exception {
            assertRefused(get("/services/oauth2/revoke"), "unsupported_token_type", "this token type is not supported");
        }
    }

    @Nested
    class Paths {

        @Test
        void answersOtherPathsWithNotFound() throws Exception {
            assertThat(post("/services/oauth2/authorize", passwordForm()).statusCode()).isEqualTo(404);
            assertThat(post("/services/oauth2", passwordForm()).statusCode()).isEqualTo(404);
            assertThat(get("/services/oauth2/token/extra").statusCode()).isEqualTo(404);
        }

        @Test
        void refusesATokenRequestThatIsNotAPost() throws Exception {
            assertRefused(get("/services/oauth2/token"), "invalid_request", "must use HTTP POST");
        }
    }

    private Map<String, String> passwordForm() {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("client_id", settings.clientId());
        form.put("format", "json");
        form.put("client_secret", settings.clientSecret());
        form.put("grant_type", "password");
        form.put("username", settings.username());
        form.put("password", settings.password());
        return form;
    }

    private void assertRefused(HttpResponse<String> response, String error, String description) throws IOException {
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).isEqualToIgnoringCase("application/json;charset=UTF-8"));
        assertThat(parse(response)).containsOnlyKeys("error", "error_description")
                .containsEntry("error", error)
                .containsEntry("error_description", description);
    }

    private Map<String, Object> parse(HttpResponse<String> response) throws IOException {
        return json.readValue(response.body(), new TypeReference<Map<String, Object>>() { });
    }

    private HttpResponse<String> post(String path, Map<String, String> form) throws IOException, InterruptedException {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + pathAndQuery)).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
