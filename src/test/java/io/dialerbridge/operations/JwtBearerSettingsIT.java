package io.dialerbridge.operations;

import static org.assertj.core.api.Assertions.assertThat;

import io.dialerbridge.DialerBridgeApplication;
import io.dialerbridge.emulator.EmulatorSettings;
import io.dialerbridge.emulator.SalesforceEmulator;
import io.dialerbridge.emulator.oauth.TestJwtKeys;
import io.dialerbridge.local.kafka.EmbeddedKafkaBroker;
import io.dialerbridge.salesforce.stream.SessionLogin;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.CamelContext;
import org.apache.camel.component.salesforce.AuthenticationType;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Production mode logging in with JWT bearer: the environment variables of the README, through application.yaml's
 * placeholders, become camel-salesforce's keystore settings, pass the startup check without a password, and log in.
 */
class JwtBearerSettingsIT {

    @Test
    void logsInWithTheKeystoreNamedByTheEnvironment(@TempDir Path directory) throws Exception {
        TestJwtKeys keys = TestJwtKeys.generate(directory);
        Path noRoutes = Files.createDirectories(directory.resolve("no-routes"));
        EmulatorSettings org = EmulatorSettings.dialerOrg().jwtCertificatePem(keys.certificatePem());
        try (SalesforceEmulator emulator = new SalesforceEmulator(org).start();
                EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().port(0)
                        .dataDirectory(directory.resolve("kafka")).start();
                ConfigurableApplicationContext bridge = new SpringApplicationBuilder(DialerBridgeApplication.class)
                        .run(
                                // The variables as a container would get them; arguments outrank the real environment.
                                "--SALESFORCE_LOGIN_URL=" + emulator.baseUrl(),
                                "--SALESFORCE_CLIENT_ID=" + org.clientId(),
                                "--SALESFORCE_USERNAME=" + org.username(),
                                "--SALESFORCE_PASSWORD=",
                                "--SALESFORCE_CLIENT_SECRET=",
                                "--SALESFORCE_JWT_KEYSTORE=file:" + keys.keystore(),
                                "--SALESFORCE_JWT_KEYSTORE_PASSWORD=" + keys.password(),
                                "--KAFKA_BOOTSTRAP_SERVERS=" + kafka.bootstrapServers(),
                                "--DIALER_API_KEYS=jwt-test-api-key-0001",
                                // The login is what is tested: no route files, so no stream subscribes.
                                "--camel.main.routes-include-pattern=file:" + noRoutes + "/*.camel.yaml",
                                "--server.port=0")) {
            SalesforceComponent salesforce = bridge.getBean(CamelContext.class)
                    .getComponent("salesforce", SalesforceComponent.class);

            assertThat(salesforce.getKeystore().getResource()).isEqualTo("file:" + keys.keystore());
            assertThat(salesforce.getLoginConfig().getType()).isEqualTo(AuthenticationType.JWT);
            // The component logs in lazily (as the first stream route starts, retried through a 503): log in as
            // a stream route does.
            SessionLogin.logIn(salesforce);
            String token = salesforce.getSession().getAccessToken();
            assertThat(token).isNotNull();
            assertThat(emulator.tokens().isValid(token)).isTrue();
        }
    }
}
