package io.dialerbridge.operations;

import static org.assertj.core.api.Assertions.assertThat;

import io.dialerbridge.emulator.ApiTraffic;
import io.dialerbridge.emulator.CamelStreamingFixture;
import io.dialerbridge.emulator.EmulatorSettings;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/** The salesforce readiness check against the real camel-salesforce consumer streaming from the emulator. */
class SalesforceStreamingHealthIndicatorTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Nested
    class WithAStreamingRoute {

        private final CamelStreamingFixture fixture;
        private final SalesforceStreamingHealthIndicator indicator;

        WithAStreamingRoute() throws Exception {
            fixture = new CamelStreamingFixture(EmulatorSettings.dialerOrg());
            fixture.startConnected();
            indicator = new SalesforceStreamingHealthIndicator(fixture.camel(), TIMEOUT);
        }

        @AfterEach
        void stop() throws Exception {
            fixture.close();
        }

        @Test
        void isUpOnceTheRouteIsConnectedAndTheOrgAnswers() {
            Health health = indicator.health();

            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("routes", Map.of("idle", "connected"))
                    .containsEntry("session", "logged in")
                    .containsEntry("instanceUrl", fixture.emulator().baseUrl())
                    .containsEntry("rest", "GET /services/data/ 200");
        }

        @Test
        void isDownWhileTheOrgRefusesRestCalls() {
            fixture.emulator().traffic().answerBusy(ApiTraffic.Api.REST, 1);

            Health health = indicator.health();

            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsEntry("rest", "GET /services/data/ 503");
        }

        @Test
        void isDownWhenAStreamingRouteIsStopped() throws Exception {
            fixture.camel().getRouteController().stopRoute("idle");

            Health health = indicator.health();

            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsEntry("routes", Map.of("idle", "stopped"));
        }

        @Test
        void isDownWhenTheOrgCannotBeReached() throws Exception {
            fixture.emulator().close();

            Health health = indicator.health();

            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsKey("error");
        }
    }

    @Nested
    class WithoutSalesforceRoutes {

        @Test
        void isUpAndDoesNotStartTheComponent() throws Exception {
            try (CamelContext camel = new DefaultCamelContext()) {
                camel.start();

                Health health = new SalesforceStreamingHealthIndicator(camel, TIMEOUT).health();

                assertThat(health.getStatus()).isEqualTo(Status.UP);
                // Creating the component would have made it log in to login.salesforce.com.
                assertThat(camel.hasComponent("salesforce")).isNull();
            }
        }
    }
}
