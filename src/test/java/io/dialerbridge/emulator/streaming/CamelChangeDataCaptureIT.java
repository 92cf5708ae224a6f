package io.dialerbridge.emulator.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import io.dialerbridge.emulator.CamelStreamingFixture;
import io.dialerbridge.emulator.EmulatorSettings;
import io.dialerbridge.emulator.data.SObjectType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real camel-salesforce CDC consumer receiving exactly the change events the emulator's record changes make. */
class CamelChangeDataCaptureIT {

    private CamelStreamingFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = new CamelStreamingFixture(EmulatorSettings.dialerOrg());
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    @Test
    void deliversCreateUpdateAndDeleteWithTheHeadersCamelDerives() throws Exception {
        fixture.startConnected();
        MockEndpoint contacts = fixture.consume("contacts", "salesforce:subscribe:data/ContactChangeEvent");
        contacts.expectedMessageCount(3);
        fixture.awaitSubscribed("/data/ContactChangeEvent");

        String id = fixture.create(SObjectType.CONTACT, Map.of("FirstName", "Ada", "LastName", "Lovelace",
                "Phone", "(415) 555-0134"));
        fixture.update(SObjectType.CONTACT, id, mapOf("Phone", null, "LastName", "King"));
        fixture.delete(SObjectType.CONTACT, id);

        contacts.assertIsSatisfied(TimeUnit.SECONDS.toMillis(20));
        List<Exchange> received = contacts.getReceivedExchanges();

        Exchange created = received.get(0);
        assertThat(created.getMessage().getHeader("CamelSalesforceChangeType")).isEqualTo("CREATE");
        assertThat(created.getMessage().getHeader("CamelSalesforceEntityName")).isEqualTo("Contact");
        assertThat(created.getMessage().getHeader("CamelSalesforceRecordIds", List.class)).isEqualTo(List.of(id));
        @SuppressWarnings("unchecked") Map<String, Object> createBody = created.getMessage().getBody(Map.class);
        assertThat(createBody).doesNotContainKey("ChangeEventHeader");
        assertThat(createBody.get("Name")).isEqualTo(Map.of("FirstName", "Ada", "LastName", "Lovelace"));
        assertThat(createBody.get("Phone")).isEqualTo("(415) 555-0134");
        assertThat(createBody).containsKeys("CreatedDate", "CreatedById", "LastModifiedDate", "OwnerId");

        Exchange updated = received.get(1);
        assertThat(updated.getMessage().getHeader("CamelSalesforceChangeType")).isEqualTo("UPDATE");
        @SuppressWarnings("unchecked") Map<String, Object> updateBody = updated.getMessage().getBody(Map.class);
        assertThat(updateBody.keySet()).containsExactlyInAnyOrder("Phone", "Name", "LastModifiedDate");
        assertThat(updateBody.get("Phone")).isNull();
        assertThat(updateBody.get("Name")).isEqualTo(Map.of("LastName", "King"));

        Exchange deleted = received.get(2);
        assertThat(deleted.getMessage().getHeader("CamelSalesforceChangeType")).isEqualTo("DELETE");
        assertThat(deleted.getMessage().getBody(Map.class)).isEmpty();

        long first = created.getMessage().getHeader("CamelSalesforceReplayId", Long.class);
        long last = deleted.getMessage().getHeader("CamelSalesforceReplayId", Long.class);
        assertThat(last).isGreaterThan(first);
    }

    private static Map<String, Object> mapOf(Object... keysAndValues) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
