package io.dialerbridge.emulator.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import io.dialerbridge.emulator.EmulatorSettings;
import io.dialerbridge.emulator.SalesforceEmulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.cometd.bayeux.Message;
import org.cometd.client.BayeuxClient;
import org.cometd.client.http.jetty.JettyHttpClientTransport;
import org.eclipse.jetty.client.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The conversation of Salesforce's reference client EMP-Connector, with the real CometD 9 client: a SOAP partner
 * login, then the session id as a bare {@code Authorization} header on every CometD request, and the server URL's
 * host as the CometD endpoint.
 */
class EmpConnectorConversationIT {

    private static final Pattern SESSION_ID = Pattern.compile("<sessionId>([^<]+)</sessionId>");
    private static final Pattern SERVER_URL = Pattern.compile("<serverUrl>([^<]+)</serverUrl>");

    private SalesforceEmulator emulator;
    private final org.eclipse.jetty.client.HttpClient jetty = new org.eclipse.jetty.client.HttpClient();
    private BayeuxClient client;

    @BeforeEach
    void start() throws Exception {
        emulator = new SalesforceEmulator(EmulatorSettings.dialerOrg()).start();
        jetty.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.disconnect(1_000);
        }
        jetty.stop();
        emulator.close();
    }

    @Test
    void soapLoginThenABareSessionIdHandshakesSubscribesAndReceivesEvents() throws Exception {
        String envelope = "<soapenv:Envelope xmlns:soapenv='http://schemas.xmlsoap.org/soap/envelope/' "
                + "xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance' "
                + "xmlns:urn='urn:partner.soap.sforce.com'><soapenv:Body>  <urn:login>    <urn:username>"
                + "integration@dialer-bridge.local</urn:username>    <urn:password>local-password</urn:password>"
                + "  </urn:login></soapenv:Body></soapenv:Envelope>";
        String login = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(emulator.baseUrl()
                        + "/services/Soap/u/56.0/")).header("Content-Type", "text/xml").header("SOAPAction", "''")
                .POST(HttpRequest.BodyPublishers.ofString(envelope)).build(), HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher sessionId = SESSION_ID.matcher(login);
        Matcher serverUrl = SERVER_URL.matcher(login);
        assertThat(sessionId.find()).isTrue();
        assertThat(serverUrl.find()).isTrue();
        URI server = URI.create(serverUrl.group(1));
        String cometd = server.getScheme() + "://" + server.getHost() + ":" + server.getPort() + "/cometd/56.0";

        client = new BayeuxClient(cometd, new JettyHttpClientTransport(new HashMap<>(), jetty) {
            @Override
            protected void customize(Request request) {
                request.headers(headers -> headers.put("Authorization", sessionId.group(1)));
            }
        });
        client.handshake();
        assertThat(client.waitFor(20_000, BayeuxClient.State.CONNECTED)).isTrue();
        List<Message> received = new CopyOnWriteArrayList<>();
        CompletableFuture<Message> subscribed = new CompletableFuture<>();
        client.getChannel("/u/DialerControl").subscribe((channel, message) -> received.add(message),
                subscribed::complete);
        assertThat(subscribed.get(20, TimeUnit.SECONDS).isSuccessful()).isTrue();
        emulator.genericChannels().push("/u/DialerControl", "PAUSE_CAMPAIGN *");

        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 1);
        assertThat(received.get(0).getDataAsMap()).containsEntry("payload", "PAUSE_CAMPAIGN *");
        assertThat(emulator.streaming().refusedHandshakeCount()).isZero();
    }
}
