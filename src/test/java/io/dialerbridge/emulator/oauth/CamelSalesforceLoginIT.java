package io.dialerbridge.emulator.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dialerbridge.emulator.EmulatorSettings;
import java.nio.file.Path;
import org.apache.camel.CamelContext;
import org.apache.camel.component.salesforce.AuthenticationType;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.component.salesforce.internal.SalesforceSession;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The unmodified camel-salesforce client logging in to, re-logging in to and logging out of the emulator.
 */
class CamelSalesforceLoginIT {

    private final EmulatorSettings settings = new EmulatorSettings();
    private OAuthTestServer server;
    private CamelContext camel;
    private SalesforceComponent salesforce;

    @BeforeEach
    void start() throws Exception {
        server = OAuthTestServer.start(settings);
        camel = new DefaultCamelContext();
        salesforce = new SalesforceComponent();
        salesforce.setLoginUrl(server.baseUrl());
        salesforce.setClientId(settings.clientId());
        camel.addComponent("salesforce", salesforce);
    }

    @AfterEach
    void stop() throws Exception {
        camel.close();
        server.close();
    }

    @Test
    void logsInWithUsernameAndPassword() {
        salesforce.setClientSecret(settings.clientSecret());
        salesforce.setUserName(settings.username());
        salesforce.setPassword(settings.password());

        camel.start();

        assertLoggedIn(salesforce.getSession());
    }

    @Test
    void logsInWithClientCredentials() {
        salesforce.setAuthenticationType(AuthenticationType.CLIENT_CREDENTIALS);
        salesforce.setClientSecret(settings.clientSecret());

        camel.start();

        assertLoggedIn(salesforce.getSession());
    }

    @Test
    void logsInWithTheRefreshToken() {
        salesforce.setRefreshToken(settings.refreshToken());

        camel.start();

        assertLoggedIn(salesforce.getSession());
    }

    @Test
    void logsInWithAJwtSignedByItsKeystore(@TempDir Path directory) throws Exception {
        TestJwtKeys keys = TestJwtKeys.generate(directory);
        settings.jwtCertificatePem(keys.certificatePem());
        KeyStoreParameters keystore = new KeyStoreParameters();
        keystore.setResource("file:" + keys.keystore());
        keystore.setPassword(keys.password());
        keystore.setType("PKCS12");
        salesforce.setKeystore(keystore);
        salesforce.setUserName(settings.username());

        camel.start();

        assertLoggedIn(salesforce.getSession());
    }

    @Test
    void failsToStartWithCamelsOwnReadingOfTheErrorBody() {
        salesforce.setClientSecret(settings.clientSecret());
        salesforce.setUserName(settings.username());
        salesforce.setPassword("wrong-password");

        // "response parse exception" here would mean camel's LoginError choked on the body.
        assertThatThrownBy(camel::start).hasStackTraceContaining(
                "Login error code:[invalid_grant] description:[authentication failure]");
    }

    @Test
    void revokesTheOldTokenAndLogsInAgainAfterExpiry() throws Exception {
        salesforce.setClientSecret(settings.clientSecret());
        salesforce.setUserName(settings.username());
        salesforce.setPassword(settings.password());
        camel.start();
        SalesforceSession session = salesforce.getSession();
        String first = session.getAccessToken();

        server.tokens().expireAll();
        // What camel's login(oldToken) does: revoke the dead token, which the emulator answers with a 400 that camel
        // must shrug off, then log in again.
        String second = session.login(first);

        assertThat(second).isNotEqualTo(first);
        assertThat(server.tokens().isValid(first)).isFalse();
        assertLoggedIn(session);
    }

    @Test
    void revokesItsTokenWhenStopped() {
        salesforce.setClientSecret(settings.clientSecret());
        salesforce.setUserName(settings.username());
        salesforce.setPassword(settings.password());
        camel.start();
        String token = salesforce.getSession().getAccessToken();
        assertThat(server.tokens().isValid(token)).isTrue();

        camel.stop();

        assertThat(server.tokens().isValid(token)).isFalse();
    }

    private void assertLoggedIn(SalesforceSession session) {
        assertThat(session.getAccessToken()).isNotNull();
        assertThat(server.tokens().isValid(session.getAccessToken())).isTrue();
        assertThat(session.getInstanceUrl()).isEqualTo(server.baseUrl());
        assertThat(session.getOrgId()).isEqualTo(settings.orgId());
    }
}
