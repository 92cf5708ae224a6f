package io.dialerbridge.salesforce.stream;

import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.component.salesforce.internal.SalesforceSession;

/**
 * Logs the lazily started salesforce component in by starting its session, as camel's component would have.
 *
 * <p>With {@code lazyLogin} the component leaves its session unstarted, and camel 4.17's session treats an unstarted
 * session as stopped: a 401 on the streaming connection then asks it to log in again and it silently does not, so the
 * handshake is refused for good. Starting the session (its start is the login) keeps camel's own re-login working. A
 * start that failed (a 503) leaves the session failed, and the next call starts it again. Once the session holds a
 * token the component is told the login is eager again: camel 4.17's streaming client refuses to start otherwise.
 */
public final class SessionLogin {

    private SessionLogin() {
    }

    /**
     * Starts the component's session unless it is started.
     *
     * @throws SalesforceException Salesforce's answer when the login failed
     */
    public static void logIn(SalesforceComponent component) throws SalesforceException {
        SalesforceSession session = component.getSession();
        if (!session.isStarted()) {
            try {
                session.start();
            } catch (RuntimeException failure) {
                if (failure.getCause() instanceof SalesforceException refused) {
                    throw refused;
                }
                throw failure;
            }
        }
        component.getLoginConfig().setLazyLogin(false);
    }
}
