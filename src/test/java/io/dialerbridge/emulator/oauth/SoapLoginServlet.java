package io.dialerbridge.emulator.oauth;

import io.dialerbridge.emulator.EmulatorSettings;
import io.dialerbridge.emulator.data.CaseSafeId;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * The SOAP partner API's {@code login} at {@code /services/Soap/u/<version>}, the login Salesforce's reference client
 * EMP-Connector and older integrations use: a session id (an access token like any other here) and the server URL,
 * or Salesforce's {@code INVALID_LOGIN} fault, in Salesforce's envelope and namespaces.
 */
public class SoapLoginServlet extends HttpServlet {

    /** The mapping the emulator mounts this servlet at. */
    public static final String PATH_SPEC = "/services/Soap/*";

    static final String SOAP_ENVELOPE = "http://schemas.xmlsoap.org/soap/envelope/";
    static final String PARTNER = "urn:partner.soap.sforce.com";
    static final String PARTNER_FAULT = "urn:fault.partner.soap.sforce.com";
    static final String INVALID_LOGIN_MESSAGE = "Invalid username, password, security token; or user locked out.";

    /** The partner endpoint, with or without the org id a {@code serverUrl} ends in, and with or without a slash. */
    private static final Pattern PARTNER_PATH = Pattern.compile("^/u/(\\d+\\.\\d)(?:/[A-Za-z0-9]*)?/?$");
    /** The newest API version Salesforce serves today (Spring '26). */
    private static final double NEWEST_VERSION = 66.0;
    private static final Logger LOG = LoggerFactory.getLogger(SoapLoginServlet.class);
    private static final String XML_UTF8 = "text/xml;charset=UTF-8";

    private final transient EmulatorSettings settings;
    private final transient TokenStore tokens;

    public SoapLoginServlet(EmulatorSettings settings, TokenStore tokens) {
        this.settings = settings;
        this.tokens = tokens;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Matcher path = PARTNER_PATH.matcher(request.getPathInfo() == null ? "" : request.getPathInfo());
        if (!path.matches()) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        String version = path.group(1);
        double number = Double.parseDouble(version);
        if (number < settings.oldestSoapApiVersion() || number > NEWEST_VERSION) {
            writeFault(response, "sf:UNSUPPORTED_API_VERSION", "UNSUPPORTED_API_VERSION: Invalid Api version specified"
                    + " on URL", "UnexpectedErrorFault", "UNSUPPORTED_API_VERSION", "Invalid Api version specified on URL");
            return;
        }
        Element login;
        try {
            login = operation(request.getInputStream());
        } catch (SAXException | ParserConfigurationException malformed) {
            writeFault(response, "soapenv:Client", "Unable to parse the request: not a well-formed SOAP envelope",
                    null, null, null);
            return;
        }
        if (login == null || !PARTNER.equals(login.getNamespaceURI()) || !"login".equals(login.getLocalName())) {
            String name = login == null ? "" : "{" + login.getNamespaceURI() + "}" + login.getLocalName();
            writeFault(response, "soapenv:Client", "No operation available for request " + name, null, null, null);
            return;
        }
        String username = childText(login, "username");
        String password = childText(login, "password");
        // Both are compared before deciding so the answer's timing does not say which was wrong.
        boolean userMatches = username != null && TokenStore.constantTimeEquals(username, settings.username());
        boolean passwordMatches = password != null && TokenStore.constantTimeEquals(password, settings.password());
        if (!(userMatches & passwordMatches)) {
            LOG.info("Refused a SOAP login: INVALID_LOGIN");
            writeFault(response, "sf:INVALID_LOGIN", "INVALID_LOGIN: " + INVALID_LOGIN_MESSAGE, "LoginFault",
                    "INVALID_LOGIN", INVALID_LOGIN_MESSAGE);
            return;
        }
        AccessToken session = tokens.issue();
        LOG.info("Issued a session id for a SOAP login (API {})", version);
        write(response, HttpServletResponse.SC_OK, loginResponse(OAuthServlet.instanceUrl(request), version, session));
    }

    /** The first element in the envelope's Body: the operation the request calls. */
    private static Element operation(InputStream body) throws SAXException, ParserConfigurationException, IOException {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        // No DTDs, no external entities: the body is a stranger's XML.
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setExpandEntityReferences(false);
        DocumentBuilder builder = factory.newDocumentBuilder();
        // The default handler prints every parse error to stderr; a malformed body is the caller's fault, answered.
        builder.setErrorHandler(new DefaultHandler() {
            @Override
            public void error(SAXParseException e) throws SAXException {
                throw e;
            }

            @Override
            public void fatalError(SAXParseException e) throws SAXException {
                throw e;
            }

            @Override
            public void warning(SAXParseException e) {
            }
        });
        Document document = builder.parse(body);
        Element envelope = document.getDocumentElement();
        if (!SOAP_ENVELOPE.equals(envelope.getNamespaceURI()) || !"Envelope".equals(envelope.getLocalName())) {
            throw new SAXException("not a SOAP 1.1 envelope");
        }
        Element soapBody = firstChild(envelope, SOAP_ENVELOPE, "Body");
        if (soapBody == null) {
            throw new SAXException("no SOAP body");
        }
        return firstChild(soapBody, null, null);
    }

    private static Element firstChild(Element parent, String namespace, String localName) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && (localName == null
                    || (localName.equals(element.getLocalName()) && namespace.equals(element.getNamespaceURI())))) {
                return element;
            }
        }
        return null;
    }

    private static String childText(Element login, String name) {
        Element child = firstChild(login, PARTNER, name);
        return child == null ? null : child.getTextContent();
    }

    /** The partner WSDL's LoginResult, fields in its order; ids are 18 characters, the URLs end in the 15-char org id. */
    private String loginResponse(String instanceUrl, String version, AccessToken session) {
        String org15 = CaseSafeId.of(settings.orgId()).substring(0, 15);
        String orgId = CaseSafeId.of(settings.orgId());
        String userId = CaseSafeId.of(settings.userId());
        StringBuilder xml = new StringBuilder(2_048);
        xml.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
                .append("<soapenv:Envelope xmlns:soapenv=\"").append(SOAP_ENVELOPE).append("\" xmlns=\"")
                .append(PARTNER).append("\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">")
                .append("<soapenv:Body><loginResponse><result>");
        element(xml, "metadataServerUrl", instanceUrl + "/services/Soap/m/" + version + "/" + org15);
        element(xml, "passwordExpired", "false");
        element(xml, "sandbox", "false");
        element(xml, "serverUrl", instanceUrl + "/services/Soap/u/" + version + "/" + org15);
        element(xml, "sessionId", session.value());
        element(xml, "userId", userId);
        xml.append("<userInfo>");
        element(xml, "accessibilityMode", "false");
        element(xml, "chatterExternal", "false");
        element(xml, "currencySymbol", "$");
        element(xml, "orgAttachmentFileSizeLimit", "5242880");
        element(xml, "orgDefaultCurrencyIsoCode", "USD");
        element(xml, "orgDefaultCurrencyLocale", "en_US");
        element(xml, "orgDisallowHtmlAttachments", "false");
        element(xml, "orgHasPersonAccounts", "false");
        element(xml, "organizationId", orgId);
        element(xml, "organizationMultiCurrency", "false");
        element(xml, "organizationName", "Dialer Bridge Emulated Org");
        element(xml, "profileId", CaseSafeId.of("00e000000000001"));
        xml.append("<roleId xsi:nil=\"true\"/>");
        element(xml, "sessionSecondsValid", Long.toString(settings.tokenTimeToLive().toSeconds()));
        xml.append("<userDefaultCurrencyIsoCode xsi:nil=\"true\"/>");
        element(xml, "userEmail", settings.username());
        element(xml, "userFullName", "Integration User");
        element(xml, "userId", userId);
        element(xml, "userLanguage", "en_US");
        element(xml, "userLocale", "en_US");
        element(xml, "userName", settings.username());
        element(xml, "userTimeZone", "America/Los_Angeles");
        element(xml, "userType", "Standard");
        element(xml, "userUiSkin", "Theme3");
        xml.append("</userInfo></result></loginResponse></soapenv:Body></soapenv:Envelope>");
        return xml.toString();
    }

    /**
     * A SOAP 1.1 fault as Salesforce sends it: HTTP 500, {@code sf:} bound to the partner fault namespace, and for
     * API faults a typed detail with the exception code and message.
     */
    private static void writeFault(HttpServletResponse response, String faultCode, String faultString,
            String detailType, String exceptionCode, String exceptionMessage) throws IOException {
        StringBuilder xml = new StringBuilder(1_024);
        xml.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
                .append("<soapenv:Envelope xmlns:soapenv=\"").append(SOAP_ENVELOPE).append("\" xmlns:sf=\"")
                .append(PARTNER_FAULT).append("\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">")
                .append("<soapenv:Body><soapenv:Fault>");
        element(xml, "faultcode", faultCode);
        element(xml, "faultstring", faultString);
        if (detailType != null) {
            xml.append("<detail><sf:").append(detailType).append(" xsi:type=\"sf:").append(detailType).append("\">")
                    .append("<sf:exceptionCode>").append(escape(exceptionCode)).append("</sf:exceptionCode>")
                    .append("<sf:exceptionMessage>").append(escape(exceptionMessage)).append("</sf:exceptionMessage>")
                    .append("</sf:").append(detailType).append("></detail>");
        }
        xml.append("</soapenv:Fault></soapenv:Body></soapenv:Envelope>");
        write(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, xml.toString());
    }

    private static void element(StringBuilder xml, String name, String text) {
        xml.append('<').append(name).append('>').append(escape(text)).append("</").append(name).append('>');
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static void write(HttpServletResponse response, int status, String xml) throws IOException {
        byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType(XML_UTF8);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
