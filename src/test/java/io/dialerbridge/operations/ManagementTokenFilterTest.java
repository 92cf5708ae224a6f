package io.dialerbridge.operations;

import static org.assertj.core.api.Assertions.assertThat;

import io.dialerbridge.disposition.ApiKeyAuthenticator;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** Who the actuator takes for an operator: only a caller with a configured management token. */
class ManagementTokenFilterTest {

    private static final String TOKEN = "operators-token-0123456789";

    private final MockFilterChain chain = new MockFilterChain();
    private final MockHttpServletResponse response = new MockHttpServletResponse();

    private HttpServletRequest passedOn(ManagementTokenFilter filter, String authorization) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/actuator/health");
        if (authorization != null) {
            request.addHeader("Authorization", authorization);
        }
        filter.doFilter(request, response, chain);
        return (HttpServletRequest) chain.getRequest();
    }

    @Nested
    class WithATokenConfigured {

        private final ManagementTokenFilter filter = new ManagementTokenFilter(new ApiKeyAuthenticator(List.of(TOKEN)));

        @Test
        void aCallerWithoutCredentialsPassesAsAnonymous() throws Exception {
            HttpServletRequest request = passedOn(filter, null);

            assertThat(request.getUserPrincipal()).isNull();
            assertThat(request.isUserInRole(ManagementTokenFilter.ROLE)).isFalse();
            assertThat(response.getStatus()).isEqualTo(200);
        }

        @Test
        void aCallerWithTheTokenIsAnOperator() throws Exception {
            HttpServletRequest request = passedOn(filter, "Bearer " + TOKEN);

            assertThat(request.getUserPrincipal()).isNotNull();
            assertThat(request.isUserInRole(ManagementTokenFilter.ROLE)).isTrue();
            assertThat(request.isUserInRole("ADMIN")).isFalse();
        }

        @Test
        void aCallerWithAnotherTokenIsRefused() throws Exception {
            assertThat(passedOn(filter, "Bearer " + TOKEN + "x")).isNull();

            assertThat(response.getStatus()).isEqualTo(401);
            assertThat(response.getHeader("WWW-Authenticate")).startsWith("Bearer");
        }
    }

    @Nested
    class WithoutTokens {

        private final ManagementTokenFilter filter = new ManagementTokenFilter(null);

        @Test
        void nobodyIsAnOperator() throws Exception {
            assertThat(passedOn(filter, "Bearer " + TOKEN)).isNull();

            assertThat(response.getStatus()).isEqualTo(401);
        }

        @Test
        void probesStillPass() throws Exception {
            assertThat(passedOn(filter, null)).isNotNull();
        }
    }
}
