package io.dialerbridge.emulator.oauth;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;

/**
 * Reads the access token out of an {@code Authorization} header in either form camel sends it: {@code Bearer} for
 * REST and {@code OAuth} for CometD.
 */
public final class BearerToken {

    private BearerToken() {
    }

    /** The token in the request's {@code Authorization} header, if it carries one. */
    public static Optional<String> from(HttpServletRequest request) {
        return parse(request.getHeader("Authorization"));
    }

    /** The token in an {@code Authorization} header value, if the scheme is Bearer or OAuth (in any case). */
    public static Optional<String> parse(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        String value = authorization.strip();
        int space = value.indexOf(' ');
        if (space < 0) {
            return Optional.empty();
        }
        String scheme = value.substring(0, space);
        if (!scheme.equalsIgnoreCase("Bearer") && !scheme.equalsIgnoreCase("OAuth")) {
            return Optional.empty();
        }
        String token = value.substring(space + 1).strip();
        return token.isEmpty() || token.indexOf(' ') >= 0 ? Optional.empty() : Optional.of(token);
    }
}
