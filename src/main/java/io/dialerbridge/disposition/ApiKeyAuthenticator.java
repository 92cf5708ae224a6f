package io.dialerbridge.disposition;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Decides whether an {@code Authorization} header carries one of the configured API keys as a Bearer token. The time it
 * takes does not tell an attacker how close a guess was.
 *
 * <p>Only SHA-256 digests of the keys are kept: comparing fixed-length digests with {@link MessageDigest#isEqual}
 * hides both where a guess first differs and how long the real keys are, and every configured key is compared on
 * every call so the answer time does not reveal which key matched or how many there are. Keys are checked once, at
 * construction, so a misconfiguration stops the application at start rather than refusing every caller later.
 */
public final class ApiKeyAuthenticator {

    /** Shorter keys can be guessed; 16 characters of a random token68 key is about 96 bits. */
    public static final int MIN_KEY_LENGTH = 16;

    private static final String SCHEME = "bearer";
    // RFC 6750 b64token: anything else could never arrive in an Authorization header, so a key using it is a mistake.
    private static final Pattern TOKEN68 = Pattern.compile("[A-Za-z0-9._~+/-]+=*");

    private final List<byte[]> keyDigests;

    public ApiKeyAuthenticator(Collection<String> keys) {
        if (keys == null || keys.isEmpty()) {
            throw new IllegalArgumentException("at least one API key must be configured");
        }
        int position = 0;
        for (String key : keys) {
            position++;
            // Problems are reported by position, never by content, so the message can be logged.
            if (key == null || key.length() < MIN_KEY_LENGTH) {
                throw new IllegalArgumentException(
                        "API key #" + position + " must be at least " + MIN_KEY_LENGTH + " characters");
            }
            if (!TOKEN68.matcher(key).matches()) {
                throw new IllegalArgumentException("API key #" + position
                        + " may only contain letters, digits and -._~+/ (with trailing =), as a Bearer token can");
            }
        }
        this.keyDigests = keys.stream().map(ApiKeyAuthenticator::sha256).toList();
    }

    /**
     * Keys from one comma-separated setting, as an environment variable holds them. Blanks around commas and empty
     * entries are ignored, so a trailing comma left after removing a rotated key does not stop the application.
     */
    public static ApiKeyAuthenticator fromCommaSeparated(String keys) {
        return new ApiKeyAuthenticator(keys(keys));
    }

    /** The keys of one comma-separated setting (see {@link #fromCommaSeparated}). */
    public static List<String> keys(String commaSeparated) {
        return commaSeparated == null ? List.of()
                : Arrays.stream(commaSeparated.split(",")).map(String::strip).filter(key -> !key.isEmpty()).toList();
    }

    /** Whether the header value is {@code Bearer <key>} for a configured key; a missing header or other scheme is not. */
    public boolean accepts(String authorizationHeader) {
        if (authorizationHeader == null) {
            return false;
        }
        String header = authorizationHeader.strip();
        int space = header.indexOf(' ');
        if (space < 0) {
            return false;
        }
        // RFC 9110: the auth scheme is case-insensitive; one or more spaces may separate it from the credentials.
        String scheme = header.substring(0, space).toLowerCase(Locale.ROOT);
        String token = header.substring(space + 1).strip();
        if (!SCHEME.equals(scheme) || token.isEmpty()) {
            return false;
        }
        byte[] presented = sha256(token);
        boolean matched = false;
        for (byte[] digest : keyDigests) {
            matched |= MessageDigest.isEqual(digest, presented);
        }
        return matched;
    }

    /** Says how many keys there are and nothing about them, so the authenticator can be logged or dumped safely. */
    @Override
    public String toString() {
        return "ApiKeyAuthenticator[keys=" + keyDigests.size() + "]";
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException impossible) {
            // Every Java platform must provide SHA-256.
            throw new IllegalStateException(impossible);
        }
    }
}
