package io.dialerbridge.emulator.oauth;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;

/**
 * Reads the access token out of an {@code Authorization} header in every form real clients send it: {@code Bearer}
 * (camel's REST calls, Salesforce's docs), {@code OAuth} (camel's CometD calls) and the bare token with no scheme
 * (Salesforce's reference client EMP-Connector and older integrations).
 */
public final class BearerToken {

    private BearerToken() {
    }

    /** The token in the request's {@code Authorization} header, if it carries one. */
    public static Optional<String> from(HttpServletRequest request) {
        return parse(request.getHeader("Authorization"));
    }

    /**
     * The token in an {@code Authorization} header value: the word after a Bearer or OAuth scheme (in any case), or
     * the whole value when it is a single word. A scheme with no token, another scheme, or more words are none.
     */
    public static Optional<String> parse(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        String value = authorization.strip();
        int space = value.indexOf(' ');
        if (space < 0) {
            return value.isEmpty() || isScheme(value) ? Optional.empty() : Optional.of(value);
        }
        if (!isScheme(value.substring(0, space))) {
            return Optional.empty();
        }
        String token = value.substring(space + 1).strip();
        return token.isEmpty() || token.indexOf(' ') >= 0 ? Optional.empty() : Optional.of(token);
    }

    /** Whether the header carries anything at all, which decides between "requires" and "invalid" answers. */
    public static boolean isPresent(String authorization) {
        return authorization != null && !authorization.isBlank();
    }

    private static boolean isScheme(String word) {
        return word.equalsIgnoreCase("Bearer") || word.equalsIgnoreCase("OAuth");
    }
}
