package io.dialerbridge.emulator.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import io.dialerbridge.emulator.CamelStreamingFixture;
import io.dialerbridge.emulator.EmulatorSettings;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.component.salesforce.SalesforceEndpointConfig;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The real camel-salesforce consumer on a CometD API version older than its default 56.0. */
class CamelApiVersionIT {

    private CamelStreamingFixture fixture;

    @AfterEach
    void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void aConsumerOn51ReceivesPlatformEventsWhichCarryNoEventUuid() throws Exception {
        fixture = new CamelStreamingFixture(EmulatorSettings.dialerOrg());
        SalesforceEndpointConfig config = new SalesforceEndpointConfig();
        config.setApiVersion("51.0");
        fixture.salesforce().setConfig(config);
        fixture.startConnected();
        MockEndpoint commands = fixture.consume("commands",
                "salesforce:subscribe:event/Dialer_Command__e?rawPayload=true");
        fixture.awaitSubscribed("/event/Dialer_Command__e");

        fixture.emulator().platformEvents().publish("Dialer_Command__e", Map.of("Command__c", "PAUSE_CAMPAIGN"),
                fixture.emulator().settings().userId());

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> commands.getReceivedCounter() == 1);
        Exchange received = commands.getReceivedExchanges().get(0);
        String body = received.getMessage().getBody(String.class);
        assertThat(body).contains("PAUSE_CAMPAIGN").contains("\"replayId\"").doesNotContain("EventUuid");
    }
}
