package io.dialerbridge.operations;

import static org.assertj.core.api.Assertions.assertThat;

import io.dialerbridge.emulator.ApiTraffic;
import io.dialerbridge.emulator.CamelStreamingFixture;
import io.dialerbridge.emulator.EmulatorSettings;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.salesforce.SalesforceEndpoint;
import org.apache.camel.component.salesforce.StreamingApiConsumer;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/** The salesforce readiness check against the real camel-salesforce consumer streaming from the emulator. */
class SalesforceStreamingHealthIndicatorIT {

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
        void takesNoOffenceAtARouteSwitchedOff() throws Exception {
            fixture.camel().addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("salesforce:subscribe:data/ContactChangeEvent").routeId("switched-off").autoStartup(false)
                            .to("log:switched-off");
                }
            });

            Health health = indicator.health();

            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("routes",
                    Map.of("idle", "connected", "switched-off", "disabled"));
        }

        @Test
        void seesStreamingConsumersBehindEndpointsOfOtherComponents() throws Exception {
            CamelContext camel = fixture.camel();
            SalesforceEndpoint contacts = camel.getEndpoint("salesforce:subscribe:data/ContactChangeEvent",
                    SalesforceEndpoint.class);
            camel.addComponent("wrapped", new WrappingComponent(contacts));
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("wrapped:contacts").routeId("wrapped-contacts").to("log:wrapped");
                }
            });
            fixture.awaitSubscribed("/data/ContactChangeEvent");

            Health health = indicator.health();

            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("routes",
                    Map.of("idle", "connected", "wrapped-contacts", "connected"));

            camel.getRouteController().stopRoute("wrapped-contacts");

            assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
        }

        @Test
        void isDownWhenTheOrgCannotBeReached() throws Exception {
            fixture.emulator().close();

            Health health = indicator.health();

            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsKey("error");
        }
    }

    /**
     * A component whose endpoints hand out camel-salesforce's streaming consumer, as the bridge's own
     * {@code salesforce-stream:} component does.
     */
    static final class WrappingComponent extends DefaultComponent {

        private final SalesforceEndpoint delegate;

        WrappingComponent(SalesforceEndpoint delegate) {
            this.delegate = delegate;
        }

        @Override
        protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
            return new DefaultEndpoint(uri, this) {
                @Override
                public Consumer createConsumer(Processor processor) throws Exception {
                    StreamingApiConsumer consumer = new StreamingApiConsumer(delegate, processor,
                            delegate.getComponent().getSubscriptionHelper());
                    configureConsumer(consumer);
                    return consumer;
                }

                @Override
                public Producer createProducer() {
                    throw new UnsupportedOperationException("consume only");
                }
            };
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
