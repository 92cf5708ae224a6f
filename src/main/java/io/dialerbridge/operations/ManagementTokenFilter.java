package io.dialerbridge.operations;

import io.dialerbridge.disposition.ApiKeyAuthenticator;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets an operator with a management token see the actuator's health details. A caller who sends
 * {@code Authorization: Bearer <management token>} gets the {@value #ROLE} role, the only one Spring shows the details
 * to ({@code show-details: when-authorized}); everybody else, the platform's probes included, sees the status alone. A
 * request with any other {@code Authorization} header is answered 401, so a mistyped token does not look like a bridge
 * without details.
 *
 * <p>A token rather than Spring Security: the bridge has no users, only the operator's secret, which a Kubernetes
 * Secret hands over as {@code DIALER_MANAGEMENT_TOKENS} as it does the dialer's API keys; probes need no credentials.
 */
class ManagementTokenFilter extends OncePerRequestFilter {

    /** The role the health endpoint shows its details to ({@code management.endpoint.health.roles}). */
    static final String ROLE = "DIALER_OPERATOR";

    /** The configured tokens, or null when none is: then nobody sees the details over HTTP. */
    private final ApiKeyAuthenticator tokens;

    ManagementTokenFilter(ApiKeyAuthenticator tokens) {
        this.tokens = tokens;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String authorization = request.getHeader("Authorization");
        if (authorization == null) {
            chain.doFilter(request, response);
        } else if (tokens != null && tokens.accepts(authorization)) {
            chain.doFilter(new Operator(request), response);
        } else {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"dialer-bridge management\"");
            response.sendError(HttpServletResponse.SC_UNAUTHORIZED, "Unknown management token");
        }
    }

    /** The request of a caller who presented a management token. */
    private static final class Operator extends HttpServletRequestWrapper {

        private static final Principal OPERATOR = () -> "operator";

        Operator(HttpServletRequest request) {
            super(request);
        }

        @Override
        public Principal getUserPrincipal() {
            return OPERATOR;
        }

        @Override
        public boolean isUserInRole(String role) {
            return ROLE.equals(role);
        }

        @Override
        public String getAuthType() {
            return "Bearer";
        }
    }
}
