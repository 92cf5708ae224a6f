package io.dialerbridge.emulator.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import io.dialerbridge.emulator.CamelStreamingFixture;
import io.dialerbridge.emulator.EmulatorSettings;
import io.dialerbridge.emulator.data.SObjectType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.component.mock.MockEndpoint;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * camel-salesforce recovering, without losing events, from what the emulator's admin API breaks mid-stream: every
 * access token expiring, and every CometD session being forgotten by the server.
 */
class CamelSessionRecoveryIT {

    private static final String CHANNEL = "/data/ContactChangeEvent";

    private final HttpClient http = HttpClient.newHttpClient();
    private CamelStreamingFixture fixture;
    private MockEndpoint contacts;

    @BeforeEach
    void start() throws Exception {
        // A short long poll bounds the one race the drop cannot win: a connect being held at the very moment the
        // session is dropped stays held until its timeout, as on Salesforce, before the client learns.
        fixture = new CamelStreamingFixture(EmulatorSettings.dialerOrg().longPollTimeout(Duration.ofSeconds(5)));
        fixture.startConnected();
        contacts = fixture.consume("contacts", "salesforce:subscribe:data/ContactChangeEvent");
        fixture.awaitSubscribed(CHANNEL);
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    private String admin(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create(fixture.emulator().baseUrl() + path)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private List<String> createContacts(String... lastNames) {
        List<String> ids = new ArrayList<>();
        for (String lastName : lastNames) {
            ids.add(fixture.create(SObjectType.CONTACT, Map.of("LastName", lastName)));
        }
        return ids;
    }

    private void awaitReceived(int count) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> contacts.getReceivedCounter() >= count);
    }

    private List<Object> receivedRecordIds() {
        return contacts.getReceivedExchanges().stream()
                .map(exchange -> ((List<?>) exchange.getMessage().getHeader("CamelSalesforceRecordIds")).get(0))
                .map(Object.class::cast)
                .toList();
    }

    @Test
    void reLogsInAfterEveryTokenExpiredAndMissesNothing() throws Exception {
        List<String> ids = new ArrayList<>(createContacts("Before"));
        awaitReceived(1);
        long loginsBefore = fixture.emulator().traffic().calls().getOrDefault("POST /services/oauth2/token", 0L);

        assertThat(admin("/emulator/tokens/expire")).contains("\"expired\":1");
        ids.addAll(createContacts("During-1", "During-2"));
        fixture.awaitSubscribed(CHANNEL);
        ids.addAll(createContacts("After"));

        awaitReceived(4);
        assertThat(receivedRecordIds()).containsExactlyElementsOf(ids);
        assertThat(fixture.emulator().traffic().calls().get("POST /services/oauth2/token")).isGreaterThan(loginsBefore);
    }

    @Test
    void reHandshakesAfterTheServerDroppedItsSessionAndMissesNothing() throws Exception {
        List<String> ids = new ArrayList<>(createContacts("Before"));
        awaitReceived(1);

        long handshakesBefore = fixture.emulator().streaming().handshakeCount();
        assertThat(admin("/emulator/sessions/drop")).contains("\"dropped\":1");
        ids.addAll(createContacts("During-1", "During-2"));
        fixture.awaitSubscribed(CHANNEL);
        ids.addAll(createContacts("After"));

        awaitReceived(4);
        assertThat(receivedRecordIds()).containsExactlyElementsOf(ids);
        assertThat(fixture.emulator().streaming().handshakeCount()).isGreaterThan(handshakesBefore);
    }
}
