package io.dialerbridge.emulator.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import io.dialerbridge.emulator.CamelStreamingFixture;
import io.dialerbridge.emulator.EmulatorSettings;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.component.salesforce.api.dto.PlatformEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Durable replay as camel-salesforce uses it: {@code -2} replays the retention window, an explicit id resumes right
 * after it, and an id whose successors have been purged makes camel fall back.
 */
class CamelReplayIT {

    private static final String CHANNEL = "/event/Dialer_Command__e";

    private CamelStreamingFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = new CamelStreamingFixture(EmulatorSettings.dialerOrg());
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    private long publish(String command) {
        return fixture.emulator().platformEvents().publish("Dialer_Command__e",
                Map.of("Command__c", command, "Campaign_Id__c", "701000000000001AAA"), fixture.emulator().settings()
                        .userId()).replayId();
    }

    private static void awaitDistinct(MockEndpoint endpoint, int count) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> commands(endpoint).size() >= count);
    }

    /**
     * The commands received, once per replay id: when camel's subscribe races a connect reply, its client registers
     * the channel listener twice and hands each later event over twice (a camel quirk; see docs/emulator.md).
     */
    private static List<String> commands(MockEndpoint endpoint) {
        java.util.Set<Long> seen = new java.util.HashSet<>();
        return endpoint.getReceivedExchanges().stream()
                .filter(exchange -> seen.add(exchange.getMessage().getHeader("CamelSalesforceReplayId", Long.class)))
                .map(exchange -> exchange.getMessage().getBody(PlatformEvent.class).getEventData().get("Command__c"))
                .map(String::valueOf)
                .toList();
    }

    @Test
    void minusTwoReplaysEveryRetainedEventThenNewOnes() throws Exception {
        publish("PAUSE_CAMPAIGN");
        publish("RESUME_CAMPAIGN");
        fixture.startConnected();
        MockEndpoint events = fixture.consume("events", "salesforce:subscribe:event/Dialer_Command__e?replayId=-2");
        fixture.awaitSubscribed(CHANNEL);

        publish("SET_DIALING_MODE");

        awaitDistinct(events, 3);
        assertThat(commands(events)).containsExactly("PAUSE_CAMPAIGN", "RESUME_CAMPAIGN", "SET_DIALING_MODE");
        Exchange first = events.getReceivedExchanges().get(0);
        assertThat(first.getMessage().getHeader("CamelSalesforceEventType")).isEqualTo("Dialer_Command__e");
        assertThat(first.getMessage().getHeader("CamelSalesforcePlatformEventSchema", String.class)).hasSize(22);
        PlatformEvent event = first.getMessage().getBody(PlatformEvent.class);
        assertThat(event.getCreated()).isNotNull();
        assertThat(event.getCreatedById()).hasSize(15);
    }

    @Test
    void minusOneDeliversOnlyEventsPublishedAfterSubscribing() throws Exception {
        publish("PAUSE_CAMPAIGN");
        fixture.startConnected();
        MockEndpoint events = fixture.consume("events", "salesforce:subscribe:event/Dialer_Command__e?replayId=-1");
        fixture.awaitSubscribed(CHANNEL);

        publish("RESUME_CAMPAIGN");

        awaitDistinct(events, 1);
        assertThat(commands(events)).containsExactly("RESUME_CAMPAIGN");
    }

    @Test
    void anExplicitReplayIdResumesRightAfterIt() throws Exception {
        publish("PAUSE_CAMPAIGN");
        long second = publish("RESUME_CAMPAIGN");
        publish("SET_DIALING_MODE");
        publish("BROADCAST");
        fixture.startConnected();
        MockEndpoint events = fixture.consume("events",
                "salesforce:subscribe:event/Dialer_Command__e?replayId=" + second);

        awaitDistinct(events, 2);
        assertThat(commands(events)).containsExactly("SET_DIALING_MODE", "BROADCAST");
        assertThat(events.getReceivedExchanges().get(0).getMessage().getHeader("CamelSalesforceReplayId", Long.class))
                .isEqualTo(second + 1);
    }

    @Test
    void aReplayIdWhoseSuccessorsWerePurgedMakesCamelFallBack() throws Exception {
        long gone = publish("PAUSE_CAMPAIGN");
        long alsoGone = publish("RESUME_CAMPAIGN");
        publish("SET_DIALING_MODE");
        fixture.emulator().bus().purge(CHANNEL, alsoGone);
        fixture.startConnected();
        MockEndpoint events = fixture.consume("events",
                "salesforce:subscribe:event/Dialer_Command__e?replayId=" + gone + "&fallBackReplayId=-2");

        awaitDistinct(events, 1);
        // The fallback to -2 replays what is still retained: only the third event survived the purge.
        assertThat(commands(events)).containsExactly("SET_DIALING_MODE");
    }

    @Test
    void eventsOlderThanTheRetentionWindowAreNoLongerReplayed() throws Exception {
        MutableClock clock = new MutableClock();
        fixture.close();
        fixture = new CamelStreamingFixture(EmulatorSettings.dialerOrg().clock(clock));
        long expired = publish("PAUSE_CAMPAIGN");
        clock.advance(java.time.Duration.ofHours(73));
        publish("RESUME_CAMPAIGN");
        fixture.startConnected();
        MockEndpoint events = fixture.consume("events",
                "salesforce:subscribe:event/Dialer_Command__e?replayId=" + (expired - 1) + "&fallBackReplayId=-2");

        awaitDistinct(events, 1);
        assertThat(commands(events)).containsExactly("RESUME_CAMPAIGN");
    }
}
