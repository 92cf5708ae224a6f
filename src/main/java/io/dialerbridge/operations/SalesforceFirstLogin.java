package io.dialerbridge.operations;

import io.dialerbridge.salesforce.stream.SalesforceStreamEndpoint;
import io.dialerbridge.salesforce.stream.SessionLogin;
import io.dialerbridge.salesforce.stream.StreamingConnection;
import org.apache.camel.CamelContext;
import org.apache.camel.Component;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One login attempt before any route starts. Settings Salesforce refuses (a wrong password, client id or keystore) thus
 * still stop the start at once with Salesforce's own message, as they did when the component logged in as it started. A
 * Salesforce that is only unavailable (503, a timeout, no connection) does not stop the start: the bridge starts not
 * ready, and the stream routes log in as they start, retried by the route controller with back-off.
 */
final class SalesforceFirstLogin {

    private static final Logger LOG = LoggerFactory.getLogger(SalesforceFirstLogin.class);

    private SalesforceFirstLogin() {
    }

    /**
     * Logs the salesforce component in when a route uses it; returns quietly when none does or Salesforce is only
     * unavailable now.
     *
     * @throws IllegalStateException when Salesforce refused the login: the settings are wrong, waiting cannot help
     */
    static void attempt(CamelContext camel) {
        Component component = camel.hasComponent("salesforce");
        if (!(component instanceof SalesforceComponent salesforce) || salesforce.getSession() == null) {
            // No route uses Salesforce (or the component did not start): nothing to log in to.
            return;
        }
        try {
            SessionLogin.logIn(salesforce);
        } catch (SalesforceException failure) {
            if (isRefusal(failure)) {
                throw new IllegalStateException("The bridge cannot start: Salesforce refused its login at "
                        + salesforce.getLoginUrl() + " (" + failure.getMessage() + "). Check SALESFORCE_CLIENT_ID,"
                        + " SALESFORCE_USERNAME and SALESFORCE_CLIENT_SECRET with SALESFORCE_PASSWORD, or"
                        + " SALESFORCE_JWT_KEYSTORE (docs/operations.md).", failure);
            }
            LOG.warn("Salesforce is not available yet ({}); the bridge starts not ready, and its streams log in and"
                    + " subscribe as soon as Salesforce answers (camel.routecontroller.*)", failure.getMessage());
            return;
        }
        if (camel.getRoutes().stream().anyMatch(route -> route.getEndpoint() instanceof SalesforceStreamEndpoint)) {
            connectStreaming(salesforce);
        }
    }

    /**
     * Starts camel's streaming client (handshake and first connect) before any stream route subscribes, as camel's
     * component did when it started, so the routes need not wait for it to settle ({@link StreamingConnection}). A
     * client that cannot connect now (a 503 storm: camel waits up to 120 s for it) does not stop the start: the stream
     * routes connect it as they start, retried with back-off.
     */
    private static void connectStreaming(SalesforceComponent salesforce) {
        try {
            StreamingConnection.connect(salesforce.getSubscriptionHelper());
        } catch (Exception failure) {
            LOG.warn("Salesforce's streaming API did not accept a connection yet ({}); the stream routes connect as"
                    + " soon as it does (camel.routecontroller.*)", failure.getMessage());
        }
    }

    /**
     * Whether Salesforce answered the login and said no: HTTP 400 ({@code invalid_grant}, {@code invalid_client},
     * …) or 401. A 503, any other 5xx, a timeout or a connection that failed (no status) pass with time.
     */
    static boolean isRefusal(SalesforceException failure) {
        int status = failure.getStatusCode();
        return status == 400 || status == 401;
    }
}
