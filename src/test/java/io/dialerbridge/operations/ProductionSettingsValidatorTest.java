package io.dialerbridge.operations;

import static io.dialerbridge.operations.ProductionSettingsValidator.API_KEYS;
import static io.dialerbridge.operations.ProductionSettingsValidator.CLIENT_ID;
import static io.dialerbridge.operations.ProductionSettingsValidator.CLIENT_SECRET;
import static io.dialerbridge.operations.ProductionSettingsValidator.KAFKA_BROKERS;
import static io.dialerbridge.operations.ProductionSettingsValidator.KEYSTORE;
import static io.dialerbridge.operations.ProductionSettingsValidator.KEYSTORE_PASSWORD;
import static io.dialerbridge.operations.ProductionSettingsValidator.LOGIN_URL;
import static io.dialerbridge.operations.ProductionSettingsValidator.PASSWORD;
import static io.dialerbridge.operations.ProductionSettingsValidator.USER_NAME;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

class ProductionSettingsValidatorTest {

    private final ProductionSettingsValidator validator = new ProductionSettingsValidator();

    /** Everything the password flow needs, with values that must never show up in a report. */
    private static MockEnvironment passwordFlow() {
        return new MockEnvironment()
                .withProperty(LOGIN_URL, "https://login.salesforce.com")
                .withProperty(CLIENT_ID, "secret-client-id-value")
                .withProperty(CLIENT_SECRET, "secret-client-secret-value")
                .withProperty(USER_NAME, "integration@example.com")
                .withProperty(PASSWORD, "secret-password-value")
                .withProperty(KAFKA_BROKERS, "kafka-1:9092,kafka-2:9092")
                .withProperty(API_KEYS, "secret-api-key-value-0001");
    }

    private static MockEnvironment jwtFlow(Path keystore) {
        return passwordFlow()
                .withProperty(PASSWORD, "")
                .withProperty(CLIENT_SECRET, "")
                .withProperty(KEYSTORE, "file:" + keystore)
                .withProperty(KEYSTORE_PASSWORD, "secret-keystore-password");
    }

    private static List<String> variables(List<SettingProblem> problems) {
        return problems.stream().map(SettingProblem::environmentVariable).toList();
    }

    @Nested
    class PasswordFlow {

        @Test
        void acceptsACompleteConfiguration() {
            assertThat(validator.validate(passwordFlow())).isEmpty();
        }

        @Test
        void namesEveryMissingVariableWithItsPropertyInTheTableOrder() {
            List<SettingProblem> problems = validator.validate(new MockEnvironment());

            assertThat(variables(problems)).containsExactly("SALESFORCE_LOGIN_URL", "SALESFORCE_CLIENT_ID",
                    "SALESFORCE_CLIENT_SECRET", "SALESFORCE_USERNAME", "SALESFORCE_PASSWORD",
                    "KAFKA_BOOTSTRAP_SERVERS", "DIALER_API_KEYS");
            assertThat(problems).extracting(SettingProblem::property).containsExactly(LOGIN_URL, CLIENT_ID,
                    CLIENT_SECRET, USER_NAME, PASSWORD, KAFKA_BROKERS, API_KEYS);
        }

        @Test
        void takesABlankValueAsMissing() {
            // application.yaml resolves an unset ${SALESFORCE_PASSWORD:} to an empty string.
            List<SettingProblem> problems = validator.validate(passwordFlow().withProperty(PASSWORD, "  "));

            assertThat(variables(problems)).containsExactly("SALESFORCE_PASSWORD");
        }

        @Test
        void pointsAMissingPasswordAtTheJwtAlternative() {
            SettingProblem problem = validator.validate(passwordFlow().withProperty(PASSWORD, "")).get(0);

            assertThat(problem.describe()).startsWith("SALESFORCE_PASSWORD (camel.component.salesforce.password): ")
                    .contains("SALESFORCE_JWT_KEYSTORE");
        }
    }

    @Nested
    class JwtBearerFlow {

        @TempDir
        Path directory;

        @Test
        void needsNoPasswordNorClientSecret() throws IOException {
            Path keystore = Files.createFile(directory.resolve("salesforce.p12"));

            assertThat(validator.validate(jwtFlow(keystore))).isEmpty();
        }

        @Test
        void needsTheKeystorePasswordAndTheUsername() throws IOException {
            Path keystore = Files.createFile(directory.resolve("salesforce.p12"));
            MockEnvironment settings = jwtFlow(keystore).withProperty(KEYSTORE_PASSWORD, "")
                    .withProperty(USER_NAME, "");

            assertThat(variables(validator.validate(settings)))
                    .containsExactly("SALESFORCE_JWT_KEYSTORE_PASSWORD", "SALESFORCE_USERNAME");
        }

        @Test
        void refusesAPasswordAsWell() throws IOException {
            Path keystore = Files.createFile(directory.resolve("salesforce.p12"));
            MockEnvironment settings = jwtFlow(keystore).withProperty(PASSWORD, "secret-password-value");

            List<SettingProblem> problems = validator.validate(settings);

            assertThat(variables(problems)).containsExactly("SALESFORCE_PASSWORD");
            assertThat(problems.get(0).problem()).contains("choose one way to log in");
        }

        @Test
        void namesAKeystoreFileThatIsNotThere() {
            Path absent = directory.resolve("not-mounted.p12");

            List<SettingProblem> problems = validator.validate(jwtFlow(absent));

            assertThat(variables(problems)).containsExactly("SALESFORCE_JWT_KEYSTORE");
            assertThat(problems.get(0).problem()).endsWith(absent.toString());
        }
    }

    @Nested
    class Jms {

        @Test
        void asksForNothingWhileJmsIsOff() {
            assertThat(validator.validate(passwordFlow().withProperty("dialer.jms.egress.enabled", "true")))
                    .isEmpty();
        }

        @Test
        void namesTheBrokerAndEveryMissingDestinationWhenJmsIsOn() {
            MockEnvironment settings = passwordFlow()
                    .withProperty(ProductionSettingsValidator.JMS_ENABLED, "true")
                    .withProperty("dialer.jms.egress.enabled", "true")
                    .withProperty("dialer.jms.egress.destinations.contact-commands", "queue:dialer.contact-commands")
                    .withProperty("dialer.jms.egress.destinations.campaign-control", " ")
                    .withProperty("dialer.jms.ingress.enabled", "true");

            assertThat(variables(validator.validate(settings))).containsExactly("ARTEMIS_BROKER_URL",
                    "DIALER_JMS_EGRESS_DESTINATIONS_CAMPAIGNCONTROL", "DIALER_JMS_EGRESS_DESTINATIONS_SUPPRESSIONS",
                    "DIALER_JMS_EGRESS_DESTINATIONS_DEADLETTER", "DIALER_JMS_INGRESS_DISPOSITIONS");
        }

        @Test
        void needsNoArtemisBrokerWithTheDeploymentsOwnConnectionFactory() {
            MockEnvironment settings = passwordFlow()
                    .withProperty(ProductionSettingsValidator.JMS_ENABLED, "true")
                    .withProperty(ProductionSettingsValidator.JMS_PROVIDER, "custom");

            assertThat(validator.validate(settings)).isEmpty();
        }
    }

    @Nested
    class Secrecy {

        @Test
        void reportsNoValueOfAnySetting() {
            MockEnvironment settings = passwordFlow().withProperty(KAFKA_BROKERS, "").withProperty(API_KEYS, "")
                    .withProperty(PASSWORD, "");

            String report = new ProductionSettingsException(validator.validate(settings)).getMessage();

            assertThat(report).contains("KAFKA_BOOTSTRAP_SERVERS", "DIALER_API_KEYS", "SALESFORCE_PASSWORD")
                    .doesNotContain("secret-", "integration@example.com");
        }
    }
}
