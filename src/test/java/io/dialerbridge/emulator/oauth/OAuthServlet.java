package io.dialerbridge.emulator.oauth;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dialerbridge.emulator.EmulatorSettings;
import io.dialerbridge.emulator.data.CaseSafeId;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The emulated org's OAuth endpoints under {@code /services/oauth2}: the token endpoint for the password,
 * client-credentials, refresh-token and JWT-bearer grants, and token revocation, answering as Salesforce does.
 */
public class OAuthServlet extends HttpServlet {

    /** The mapping the emulator mounts this servlet at; the endpoints are the path info beneath it. */
    public static final String PATH_SPEC = "/services/oauth2/*";

    static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    private static final Logger LOG = LoggerFactory.getLogger(OAuthServlet.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_UTF8 = "application/json;charset=UTF-8";

    private final transient EmulatorSettings settings;
    private final transient TokenStore tokens;

    public OAuthServlet(EmulatorSettings settings, TokenStore tokens) {
        this.settings = settings;
        this.tokens = tokens;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        switch (endpoint(request)) {
            case "/token" -> token(request, response);
            case "/revoke" -> revoke(request, response);
            default -> response.sendError(HttpServletResponse.SC_NOT_FOUND);
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        switch (endpoint(request)) {
            // Salesforce refuses a token GET this way rather than with a 405.
            case "/token" -> writeFailure(response, OAuthFailure.invalidRequest("must use HTTP POST"));
            case "/revoke" -> revoke(request, response);
            default -> response.sendError(HttpServletResponse.SC_NOT_FOUND);
        }
    }

    private static String endpoint(HttpServletRequest request) {
        String path = request.getPathInfo();
        return path == null ? "" : path;
    }

    private void token(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String grantType = request.getParameter("grant_type");
        try {
            if (grantType == null || grantType.isEmpty()) {
                throw OAuthFailure.invalidRequest("grant type is required");
            }
            String instanceUrl = instanceUrl(request);
            Map<String, Object> body = switch (grantType) {
                case "password" -> passwordGrant(request, instanceUrl);
                case "client_credentials" -> clientCredentialsGrant(request, instanceUrl);
                case "refresh_token" -> refreshTokenGrant(request, instanceUrl);
                case JWT_BEARER -> jwtBearerGrant(request, instanceUrl);
                default -> throw OAuthFailure.unsupportedGrantType();
            };
            LOG.info("Issued an access token for grant type {}", grantType);
            response.setHeader("Cache-Control", "no-cache,must-revalidate,max-age=0,no-store,private");
            writeJson(response, HttpServletResponse.SC_OK, body);
        } catch (OAuthFailure failure) {
            // The grant type is safe to log only once it is known to be one we recognise.
            LOG.info("Refused a token request ({}): {}", loggableGrantType(grantType), failure.error());
            writeFailure(response, failure);
        }
    }

    private Map<String, Object> passwordGrant(HttpServletRequest request, String instanceUrl) throws OAuthFailure {
        String clientId = required(request, "client_id");
        String clientSecret = required(request, "client_secret");
        String username = required(request, "username");
        String password = required(request, "password");
        checkClient(clientId, clientSecret);
        // Both are compared before deciding so the answer's timing does not say which was wrong.
        boolean userMatches = TokenStore.constantTimeEquals(username, settings.username());
        boolean passwordMatches = TokenStore.constantTimeEquals(password, settings.password());
        if (!(userMatches & passwordMatches)) {
            throw OAuthFailure.authenticationFailure();
        }
        return success(instanceUrl, null);
    }

    private Map<String, Object> clientCredentialsGrant(HttpServletRequest request, String instanceUrl)
            throws OAuthFailure {
        checkClient(required(request, "client_id"), required(request, "client_secret"));
        return success(instanceUrl, "api");
    }

    private Map<String, Object> refreshTokenGrant(HttpServletRequest request, String instanceUrl)
            throws OAuthFailure {
        String clientId = required(request, "client_id");
        String refreshToken = required(request, "refresh_token");
        checkClientId(clientId);
        // Salesforce lets a refresh skip the secret, but a secret that is sent must be right.
        String clientSecret = request.getParameter("client_secret");
        if (clientSecret != null && !clientSecret.isEmpty()) {
            checkClient(clientId, clientSecret);
        }
        if (!tokens.acceptsRefreshToken(refreshToken)) {
            throw OAuthFailure.invalidGrant("expired access/refresh token");
        }
        return success(instanceUrl, null);
    }

    private Map<String, Object> jwtBearerGrant(HttpServletRequest request, String instanceUrl) throws OAuthFailure {
        String assertion = required(request, "assertion");
        String certificatePem = settings.jwtCertificatePem();
        if (certificatePem == null || certificatePem.isBlank()) {
            throw OAuthFailure.invalidGrant("no certificate is registered for JWT bearer login");
        }
        PublicKey key;
        try {
            key = JwtBearerAssertion.publicKeyOf(certificatePem);
        } catch (CertificateException e) {
            LOG.warn("The configured JWT certificate is not a PEM X.509 certificate: {}", e.getMessage());
            throw OAuthFailure.invalidGrant("no certificate is registered for JWT bearer login");
        }
        JwtBearerAssertion jwt = JwtBearerAssertion.parse(assertion);
        // The signature is checked first so that claims in an unsigned assertion tell the caller nothing.
        if (!jwt.isSignedBy(key)) {
            throw OAuthFailure.authenticationFailure();
        }
        if (!jwt.issuer().map(this::isKnownClientId).orElse(false)) {
            throw OAuthFailure.invalidClientId();
        }
        if (!jwt.isAddressedToAnyOf(audiences(instanceUrl))) {
            throw OAuthFailure.invalidGrant("audience is invalid");
        }
        Instant expiry = jwt.expiry().orElseThrow(() -> OAuthFailure.invalidGrant("invalid assertion"));
        if (!settings.clock().instant().isBefore(expiry)) {
            throw OAuthFailure.invalidGrant("expired authorization code");
        }
        if (!jwt.subject().map(sub -> TokenStore.constantTimeEquals(sub, settings.username())).orElse(false)) {
            throw OAuthFailure.authenticationFailure();
        }
        return success(instanceUrl, "api");
    }

    private static List<String> audiences(String instanceUrl) {
        // A client pointed at the emulator names it; one configured for a real org names Salesforce's login server.
        return List.of(instanceUrl, "https://login.salesforce.com", "https://test.salesforce.com");
    }

    private void checkClient(String clientId, String clientSecret) throws OAuthFailure {
        checkClientId(clientId);
        if (!TokenStore.constantTimeEquals(clientSecret, settings.clientSecret())) {
            throw OAuthFailure.invalidClient();
        }
    }

    private void checkClientId(String clientId) throws OAuthFailure {
        if (!isKnownClientId(clientId)) {
            throw OAuthFailure.invalidClientId();
        }
    }

    private boolean isKnownClientId(String clientId) {
        return clientId.equals(settings.clientId());
    }

    private Map<String, Object> success(String instanceUrl, String scope) {
        AccessToken token = tokens.issue();
        String id = instanceUrl + "/id/" + CaseSafeId.of(settings.orgId()) + "/" + CaseSafeId.of(settings.userId());
        String issuedAt = Long.toString(token.issuedAt().toEpochMilli());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", token.value());
        if (scope != null) {
            body.put("scope", scope);
        }
        body.put("instance_url", instanceUrl);
        body.put("id", id);
        body.put("token_type", "Bearer");
        body.put("issued_at", issuedAt);
        body.put("signature", signature(id, issuedAt));
        return body;
    }

    /** Salesforce's response signature: base64 HMAC-SHA256 of the id URL and issued_at, keyed with the secret. */
    private String signature(String id, String issuedAt) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(settings.clientSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal((id + issuedAt).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    private void revoke(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String token = request.getParameter("token");
        if (token == null || token.isEmpty()) {
            writeFailure(response, new OAuthFailure("unsupported_token_type", "this token type is not supported"));
            return;
        }
        if (!tokens.revoke(token)) {
            writeFailure(response, new OAuthFailure("invalid_token", "invalid token"));
            return;
        }
        LOG.info("Revoked a token");
        response.setStatus(HttpServletResponse.SC_OK);
    }

    private static String required(HttpServletRequest request, String name) throws OAuthFailure {
        String value = request.getParameter(name);
        if (value == null || value.isEmpty()) {
            throw OAuthFailure.invalidRequest("missing required parameter: " + name);
        }
        return value;
    }

    /**
     * The base URL the client reached this request on, which camel then uses for every later call, token refreshes
     * included, so the emulator must answer there.
     */
    static String instanceUrl(HttpServletRequest request) {
        String host = request.getServerName();
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return request.getScheme() + "://" + host + ":" + request.getServerPort();
    }

    private static String loggableGrantType(String grantType) {
        return switch (grantType == null ? "" : grantType) {
            case "password", "client_credentials", "refresh_token", JWT_BEARER -> grantType;
            case "" -> "no grant type";
            default -> "unsupported grant type";
        };
    }

    /** Camel's LoginError mapping refuses unknown fields, so the body holds exactly these two. */
    private static void writeFailure(HttpServletResponse response, OAuthFailure failure) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", failure.error());
        body.put("error_description", failure.description());
        writeJson(response, HttpServletResponse.SC_BAD_REQUEST, body);
    }

    private static void writeJson(HttpServletResponse response, int status, Map<String, Object> body)
            throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        response.setStatus(status);
        response.setContentType(JSON_UTF8);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
