package io.dialerbridge.operations;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.core.env.PropertyResolver;

/**
 * Decides whether the settings the bridge needs outside the {@code local} profile are all there. They are the
 * Salesforce login (password flow, or JWT bearer with a keystore), the Kafka brokers and the API keys of the
 * dispositions intake.
 *
 * <p>It reads resolved properties, so a setting given in a mounted {@code application.yaml} or on the command line
 * counts as much as its environment variable. It only ever looks at whether a value is blank, never at what it is,
 * so nothing it reports can leak a secret.
 */
public final class ProductionSettingsValidator {

    public static final String LOGIN_URL = "camel.component.salesforce.login-url";
    public static final String CLIENT_ID = "camel.component.salesforce.client-id";
    public static final String CLIENT_SECRET = "camel.component.salesforce.client-secret";
    public static final String USER_NAME = "camel.component.salesforce.user-name";
    public static final String PASSWORD = "camel.component.salesforce.password";
    public static final String KEYSTORE = "camel.component.salesforce.keystore.resource";
    public static final String KEYSTORE_PASSWORD = "camel.component.salesforce.keystore.password";
    public static final String KAFKA_BROKERS = "camel.component.kafka.brokers";
    public static final String API_KEYS = "dialer.dispositions.api-keys";
    public static final String JMS_ENABLED = "dialer.jms.enabled";
    public static final String JMS_PROVIDER = "dialer.jms.provider";
    public static final String ARTEMIS_BROKER_URL = "spring.artemis.broker-url";
    static final List<String> JMS_EGRESS_DESTINATIONS = List.of("contact-commands", "campaign-control",
            "suppressions", "dead-letter");

    /** Every problem with the settings, in the order of the README's configuration table; empty when all is well. */
    public List<SettingProblem> validate(PropertyResolver settings) {
        List<SettingProblem> problems = new ArrayList<>();
        require(settings, problems, "SALESFORCE_LOGIN_URL", LOGIN_URL,
                "not set: the Salesforce login URL (https://login.salesforce.com, https://test.salesforce.com or your My Domain)");
        require(settings, problems, "SALESFORCE_CLIENT_ID", CLIENT_ID, "not set: the connected app's consumer key");
        boolean jwtBearer = isSet(settings, KEYSTORE);
        if (jwtBearer) {
            validateJwtBearer(settings, problems);
        } else {
            require(settings, problems, "SALESFORCE_CLIENT_SECRET", CLIENT_SECRET,
                    "not set: the connected app's consumer secret (password flow)");
        }
        require(settings, problems, "SALESFORCE_USERNAME", USER_NAME, "not set: the integration user's username");
        if (!jwtBearer) {
            require(settings, problems, "SALESFORCE_PASSWORD", PASSWORD,
                    "not set: the integration user's password (with its security token appended if the org needs one);"
                            + " or log in with JWT bearer instead by setting SALESFORCE_JWT_KEYSTORE and"
                            + " SALESFORCE_JWT_KEYSTORE_PASSWORD");
        }
        require(settings, problems, "KAFKA_BOOTSTRAP_SERVERS", KAFKA_BROKERS,
                "not set: the Kafka bootstrap servers, host:port[,host:port...]");
        require(settings, problems, "DIALER_API_KEYS", API_KEYS,
                "not set: comma-separated API keys the dialer sends to POST /api/v1/dispositions");
        if (isTrue(settings, JMS_ENABLED)) {
            validateJms(settings, problems);
        }
        return List.copyOf(problems);
    }

    /**
     * With JMS on: the broker, unless the deployment brings its own ConnectionFactory bean (dialer.jms.provider other
     * than artemis), and a destination for every direction that is on.
     */
    private static void validateJms(PropertyResolver settings, List<SettingProblem> problems) {
        String provider = settings.getProperty(JMS_PROVIDER, "artemis").strip();
        if (provider.equalsIgnoreCase("artemis")) {
            require(settings, problems, "ARTEMIS_BROKER_URL", ARTEMIS_BROKER_URL,
                    "not set while DIALER_JMS_ENABLED is true: the Artemis broker, e.g. tcp://host:61616; or set"
                            + " dialer.jms.provider=custom and declare your provider's jakarta.jms.ConnectionFactory bean");
        }
        if (isTrue(settings, "dialer.jms.egress.enabled")) {
            for (String topic : JMS_EGRESS_DESTINATIONS) {
                String property = "dialer.jms.egress.destinations." + topic;
                require(settings, problems, "DIALER_JMS_EGRESS_DESTINATIONS_" + topic.replace("-", "").toUpperCase(),
                        property, "not set while the JMS egress is on: the JMS destination (queue:<name> or"
                                + " topic:<name>) of the Kafka topic " + topic);
            }
        }
        if (isTrue(settings, "dialer.jms.ingress.enabled")) {
            require(settings, problems, "DIALER_JMS_INGRESS_DISPOSITIONS", "dialer.jms.ingress.dispositions",
                    "not set while the JMS ingress is on: the JMS queue dispositions arrive on (queue:<name>)");
        }
    }

    private static boolean isTrue(PropertyResolver settings, String property) {
        return Boolean.parseBoolean(settings.getProperty(property, "false").strip());
    }

    private static void validateJwtBearer(PropertyResolver settings, List<SettingProblem> problems) {
        if (isSet(settings, PASSWORD)) {
            // camel-salesforce refuses a configuration it could log in with two ways; say so before it does, by name.
            problems.add(new SettingProblem("SALESFORCE_PASSWORD", PASSWORD,
                    "set together with SALESFORCE_JWT_KEYSTORE; choose one way to log in and unset the other"));
        }
        String keystore = settings.getProperty(KEYSTORE).strip();
        if (keystore.startsWith("file:") && !Files.isReadable(Path.of(keystore.substring("file:".length())))) {
            // The path is not a secret, and naming it is what makes the mistake obvious (a volume not mounted).
            problems.add(new SettingProblem("SALESFORCE_JWT_KEYSTORE", KEYSTORE,
                    "names a file that does not exist or cannot be read: " + keystore.substring("file:".length())));
        }
        require(settings, problems, "SALESFORCE_JWT_KEYSTORE_PASSWORD", KEYSTORE_PASSWORD,
                "not set: the password of the JWT bearer keystore");
    }

    private static void require(PropertyResolver settings, List<SettingProblem> problems, String environmentVariable,
            String property, String problem) {
        if (!isSet(settings, property)) {
            problems.add(new SettingProblem(environmentVariable, property, problem));
        }
    }

    private static boolean isSet(PropertyResolver settings, String property) {
        String value = settings.getProperty(property);
        return value != null && !value.isBlank();
    }
}
