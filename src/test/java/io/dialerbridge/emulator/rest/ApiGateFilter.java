package io.dialerbridge.emulator.rest;

import io.dialerbridge.emulator.ApiTraffic;
import io.dialerbridge.emulator.oauth.BearerToken;
import io.dialerbridge.emulator.oauth.TokenStore;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;

/**
 * The door every call under {@code /services} passes: it is counted per endpoint; a REST call or a login is also
 * refused with HTTP 503 while the org is armed to be too busy for it, and refused with {@code INVALID_SESSION_ID} without a live access token.
 */
public final class ApiGateFilter extends HttpFilter {

    private final ApiTraffic traffic;
    private final TokenStore tokens;

    public ApiGateFilter(ApiTraffic traffic, TokenStore tokens) {
        this.traffic = traffic;
        this.tokens = tokens;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String path = request.getRequestURI();
        traffic.count(request.getMethod(), path);
        boolean login = path.startsWith("/services/oauth2/token") || path.startsWith("/services/Soap/");
        if (login && traffic.takeBusyAnswer(ApiTraffic.Api.LOGIN)) {
            // What Salesforce's login answers when overloaded is not documented; a bare 503 is what a client must
            // take as "try again later" whatever the body.
            response.setStatus(503);
            response.setContentType("text/plain;charset=utf-8");
            response.getWriter().write(ApiTraffic.SERVER_TOO_BUSY);
            return;
        }
        if (!path.startsWith("/services/data")) {
            chain.doFilter(request, response);
            return;
        }
        if (traffic.takeBusyAnswer(ApiTraffic.Api.REST)) {
            JsonResponses.error(response, 503, "SERVER_UNAVAILABLE", ApiTraffic.SERVER_TOO_BUSY, List.of());
            return;
        }
        // The versions list is public in Salesforce; everything below a version needs a session.
        boolean versionsList = path.equals("/services/data") || path.equals("/services/data/");
        if (!versionsList && BearerToken.from(request).filter(tokens::isValid).isEmpty()) {
            JsonResponses.error(response, 401, "INVALID_SESSION_ID", "Session expired or invalid", List.of());
            return;
        }
        chain.doFilter(request, response);
    }
}
