package io.dialerbridge.emulator.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dialerbridge.emulator.CamelStreamingFixture;
import io.dialerbridge.emulator.EmulatorSettings;
import io.dialerbridge.emulator.data.SObjectType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * camel-salesforce's PushTopic consumer finding, creating and updating its topic through the emulator's REST API
 * (query by Name, then POST or PATCH) before it subscribes to {@code /topic/<Name>}.
 */
class CamelPushTopicSetupIT {

    private static final String QUERY = "SELECT Id, FirstName FROM Lead";

    private CamelStreamingFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = new CamelStreamingFixture(EmulatorSettings.dialerOrg());
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    private List<Map<String, Object>> topics() {
        return fixture.emulator().records().records(SObjectType.PUSH_TOPIC);
    }

    @Test
    void createsTheTopicItSubscribesTo() throws Exception {
        fixture.consume("leads", "salesforce:subscribe:DialerLeads?sObjectQuery=" + QUERY + "&updateTopic=true");

        fixture.camel().start();

        fixture.awaitSubscribed("/topic/DialerLeads");
        assertThat(topics()).singleElement().satisfies(topic -> {
            assertThat(topic.get("Name")).isEqualTo("DialerLeads");
            assertThat(topic.get("Query")).isEqualTo(QUERY);
            assertThat(topic.get("ApiVersion")).isEqualTo(56.0);
            assertThat(topic.get("Description")).isEqualTo("Topic created by Camel Salesforce component");
            assertThat(topic.get("NotifyForFields")).isEqualTo("Referenced");
        });
    }

    @Test
    void updatesAnExistingTopicWhoseQueryDiffers() throws Exception {
        String id = fixture.create(SObjectType.PUSH_TOPIC, Map.of("Name", "DialerLeads",
                "Query", "SELECT Id, LastName FROM Lead", "ApiVersion", 56.0));
        fixture.consume("leads", "salesforce:subscribe:DialerLeads?sObjectQuery=" + QUERY
                + "&updateTopic=true&notifyForOperationDelete=false");

        fixture.camel().start();

        fixture.awaitSubscribed("/topic/DialerLeads");
        assertThat(topics()).singleElement().satisfies(topic -> {
            assertThat(topic.get("Id")).isEqualTo(id);
            assertThat(topic.get("Query")).isEqualTo(QUERY);
            assertThat(topic.get("NotifyForOperationDelete")).isEqualTo(false);
            assertThat(topic.get("NotifyForOperations")).isEqualTo("All");
        });
    }

    @Test
    void failsToStartWhenTheTopicDiffersAndMayNotBeUpdated() throws Exception {
        fixture.create(SObjectType.PUSH_TOPIC, Map.of("Name", "DialerLeads",
                "Query", "SELECT Id, LastName FROM Lead", "ApiVersion", 56.0));
        fixture.consume("leads", "salesforce:subscribe:DialerLeads?sObjectQuery=" + QUERY);

        assertThatThrownBy(() -> fixture.camel().start())
                .hasStackTraceContaining("Query doesn't match existing Topic and updateTopic is set to false");
        assertThat(topics()).singleElement()
                .satisfies(topic -> assertThat(topic.get("Query")).isEqualTo("SELECT Id, LastName FROM Lead"));
    }
}
