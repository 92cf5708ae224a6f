package io.dialerbridge.emulator.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import io.dialerbridge.emulator.EmulatorSettings;
import io.dialerbridge.emulator.SalesforceEmulator;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The SOAP partner login on the wire as EMP-Connector's LoginHelper sends it: a {@code urn:}-prefixed envelope,
 * {@code SOAPAction: ''}, {@code text/xml}, and a trailing slash after the version.
 */
class SoapLoginServletIT {

    private static final String ORG_15 = "00D000000000001";

    private final HttpClient http = HttpClient.newHttpClient();
    private SalesforceEmulator emulator;

    @BeforeEach
    void start() throws Exception {
        emulator = new SalesforceEmulator(EmulatorSettings.dialerOrg()).start();
    }

    @AfterEach
    void stop() throws Exception {
        emulator.close();
    }

    private static String loginEnvelope(String username, String password) {
        return "<soapenv:Envelope xmlns:soapenv='http://schemas.xmlsoap.org/soap/envelope/' "
                + "xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance' "
                + "xmlns:urn='urn:partner.soap.sforce.com'><soapenv:Body>"
                + "  <urn:login>    <urn:username>" + username + "</urn:username>    <urn:password>" + password
                + "</urn:password>  </urn:login></soapenv:Body></soapenv:Envelope>";
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(emulator.baseUrl() + path))
                .header("Content-Type", "text/xml")
                .header("SOAPAction", "''")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static Element only(Node parent, String namespace, String localName) {
        var nodes = parent instanceof Document document ? document.getElementsByTagNameNS(namespace, localName)
                : ((Element) parent).getElementsByTagNameNS(namespace, localName);
        assertThat(nodes.getLength()).as(localName).isGreaterThanOrEqualTo(1);
        return (Element) nodes.item(0);
    }

    private static String text(Node parent, String localName) {
        return only(parent, SoapLoginServlet.PARTNER, localName).getTextContent();
    }

    @Nested
    class ValidCredentials {

        @Test
        void answerTheSessionIdServerUrlAndTheOrgAndUserIds() throws Exception {
            HttpResponse<String> response = post("/services/Soap/u/56.0/",
                    loginEnvelope("integration@dialer-bridge.local", "local-password"));

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/xml");
            Document document = parse(response.body());
            Element envelope = document.getDocumentElement();
            assertThat(envelope.getNamespaceURI()).isEqualTo(SoapLoginServlet.SOAP_ENVELOPE);
            Element result = only(only(document, SoapLoginServlet.PARTNER, "loginResponse"),
                    SoapLoginServlet.PARTNER, "result");
            assertThat(text(result, "serverUrl")).isEqualTo(emulator.baseUrl() + "/services/Soap/u/56.0/" + ORG_15);
            assertThat(text(result, "metadataServerUrl"))
                    .isEqualTo(emulator.baseUrl() + "/services/Soap/m/56.0/" + ORG_15);
            assertThat(text(result, "sessionId")).startsWith(ORG_15 + "!");
            assertThat(text(result, "userId")).isEqualTo("005000000000001AAA");
            assertThat(text(result, "passwordExpired")).isEqualTo("false");
            assertThat(text(result, "sandbox")).isEqualTo("false");
            Element userInfo = only(result, SoapLoginServlet.PARTNER, "userInfo");
            assertThat(text(userInfo, "organizationId")).isEqualTo("00D000000000001AAA");
            assertThat(text(userInfo, "userId")).isEqualTo("005000000000001AAA");
            assertThat(text(userInfo, "userName")).isEqualTo("integration@dialer-bridge.local");
            assertThat(text(userInfo, "sessionSecondsValid")).isEqualTo("7200");
        }

        @Test
        void giveASessionIdThatWorksAsABareTokenOnRestAndCometd() throws Exception {
            String sessionId = text(parse(post("/services/Soap/u/56.0",
                    loginEnvelope("integration@dialer-bridge.local", "local-password")).body()), "sessionId");

            HttpResponse<String> query = http.send(HttpRequest.newBuilder(URI.create(emulator.baseUrl()
                            + "/services/data/v56.0/query/?q=SELECT%20Id%20FROM%20Lead"))
                    .header("Authorization", sessionId).GET().build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> handshake = http.send(HttpRequest.newBuilder(URI.create(emulator.baseUrl()
                            + "/cometd/56.0/handshake"))
                    .header("Authorization", sessionId)
                    .header("Content-Type", "application/json;charset=UTF-8")
                    .POST(HttpRequest.BodyPublishers.ofString("[{\"id\":\"1\",\"version\":\"1.0\","
                            + "\"supportedConnectionTypes\":[\"long-polling\"],\"channel\":\"/meta/handshake\"}]"))
                    .build(), HttpResponse.BodyHandlers.ofString());

            assertThat(query.statusCode()).isEqualTo(200);
            assertThat(handshake.body()).contains("\"successful\":true");
        }
    }

    @Nested
    class Refusals {

        @Test
        void badCredentialsGetTheInvalidLoginFaultInSalesforcesEnvelope() throws Exception {
            HttpResponse<String> response = post("/services/Soap/u/56.0/",
                    loginEnvelope("integration@dialer-bridge.local", "wrong"));

            assertThat(response.statusCode()).isEqualTo(500);
            Document document = parse(response.body());
            Element fault = only(document, SoapLoginServlet.SOAP_ENVELOPE, "Fault");
            String faultCode = fault.getElementsByTagName("faultcode").item(0).getTextContent();
            assertThat(faultCode).isEqualTo("sf:INVALID_LOGIN");
            assertThat(fault.lookupNamespaceURI("sf")).isEqualTo("urn:fault.partner.soap.sforce.com");
            assertThat(fault.getElementsByTagName("faultstring").item(0).getTextContent())
                    .isEqualTo("INVALID_LOGIN: Invalid username, password, security token; or user locked out.");
            Element detail = only(fault, "urn:fault.partner.soap.sforce.com", "LoginFault");
            assertThat(only(detail, "urn:fault.partner.soap.sforce.com", "exceptionCode").getTextContent())
                    .isEqualTo("INVALID_LOGIN");
            assertThat(response.body()).doesNotContain("sessionId");
        }

        @Test
        void anUnknownUserGetsTheSameFault() throws Exception {
            HttpResponse<String> response = post("/services/Soap/u/56.0/",
                    loginEnvelope("someone@else.example", "local-password"));

            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(response.body()).contains("<faultcode>sf:INVALID_LOGIN</faultcode>");
        }

        @Test
        void aRetiredApiVersionIsUnsupportedAsEmpConnectorsDefaultIsOnRealOrgs() throws Exception {
            HttpResponse<String> response = post("/services/Soap/u/22.0/",
                    loginEnvelope("integration@dialer-bridge.local", "local-password"));

            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(response.body()).contains("<faultcode>sf:UNSUPPORTED_API_VERSION</faultcode>")
                    .doesNotContain("sessionId");
        }

        @Test
        void aBodyThatIsNotXmlIsAClientFault() throws Exception {
            HttpResponse<String> response = post("/services/Soap/u/56.0/", "username=a&password=b");

            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(response.body()).contains("<faultcode>soapenv:Client</faultcode>");
        }

        @Test
        void anotherOperationIsNotAvailable() throws Exception {
            HttpResponse<String> response = post("/services/Soap/u/56.0/" + ORG_15,
                    "<soapenv:Envelope xmlns:soapenv='http://schemas.xmlsoap.org/soap/envelope/'"
                            + " xmlns:urn='urn:partner.soap.sforce.com'><soapenv:Body><urn:query/></soapenv:Body>"
                            + "</soapenv:Envelope>");

            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(response.body()).contains("No operation available for request {urn:partner.soap.sforce.com}query");
        }
    }
}
