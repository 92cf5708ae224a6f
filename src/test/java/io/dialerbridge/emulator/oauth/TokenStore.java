package io.dialerbridge.emulator.oauth;

import io.dialerbridge.emulator.EmulatorSettings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The access tokens the emulated org has handed out, and the one refresh token it accepts, with their expiry and
 * revocation.
 */
public final class TokenStore {

    /** 72 random bytes give 96 url-safe characters, about the length of a real Salesforce session id. */
    private static final int RANDOM_BYTES = 72;

    private final EmulatorSettings settings;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, AccessToken> accessTokens = new ConcurrentHashMap<>();
    private volatile boolean refreshTokenRevoked;

    public TokenStore(EmulatorSettings settings) {
        this.settings = settings;
    }

    /** Issues a new access token that lives for the configured time to live from now. */
    public AccessToken issue() {
        Instant now = settings.clock().instant();
        // Dropping dead tokens here keeps a long-running emulator from growing without bound.
        accessTokens.values().removeIf(token -> !now.isBefore(token.expiresAt()));
        AccessToken token = new AccessToken(newTokenValue(), now, now.plus(settings.tokenTimeToLive()));
        accessTokens.put(token.value(), token);
        return token;
    }

    /** Whether the token was issued here, has not been revoked or expired, and its time to live has not run out. */
    public boolean isValid(String token) {
        if (token == null) {
            return false;
        }
        AccessToken issued = accessTokens.get(token);
        return issued != null && settings.clock().instant().isBefore(issued.expiresAt());
    }

    /** Whether the text is the org's refresh token and that token has not been revoked. */
    public boolean acceptsRefreshToken(String token) {
        return token != null && !refreshTokenRevoked && constantTimeEquals(token, settings.refreshToken());
    }

    /**
     * Revokes a live access token or the org's refresh token.
     *
     * @return whether the token was known and still usable, which is what decides the revoke endpoint's answer
     */
    public boolean revoke(String token) {
        if (token == null) {
            return false;
        }
        AccessToken removed = accessTokens.remove(token);
        if (removed != null) {
            return settings.clock().instant().isBefore(removed.expiresAt());
        }
        if (acceptsRefreshToken(token)) {
            refreshTokenRevoked = true;
            return true;
        }
        return false;
    }

    /**
     * Ends every access token at once, as when an org's sessions time out; the refresh token stays usable so a client
     * can log in again.
     *
     * @return how many tokens were still live
     */
    public int expireAll() {
        Instant now = settings.clock().instant();
        int live = 0;
        for (String value : accessTokens.keySet()) {
            AccessToken removed = accessTokens.remove(value);
            if (removed != null && now.isBefore(removed.expiresAt())) {
                live++;
            }
        }
        return live;
    }

    private String newTokenValue() {
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        // Url-safe characters only: camel appends the token to the revoke URL without encoding it.
        return settings.orgId().substring(0, 15) + "!AR" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static boolean constantTimeEquals(String given, String expected) {
        if (expected == null) {
            return false;
        }
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }
}
