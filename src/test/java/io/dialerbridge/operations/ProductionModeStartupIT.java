package io.dialerbridge.operations;

import static org.assertj.core.api.Assertions.assertThat;

import io.dialerbridge.DialerBridgeApplication;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real main class, started in its own JVM the way a container starts it (no profile, settings from the
 * environment), refuses to run when the environment lacks the production settings, and says which.
 */
class ProductionModeStartupIT {

    /** Every variable the bridge reads its production settings from; all are removed from the child's environment. */
    private static final List<String> SETTINGS = List.of("SALESFORCE_LOGIN_URL", "SALESFORCE_CLIENT_ID",
            "SALESFORCE_CLIENT_SECRET", "SALESFORCE_USERNAME", "SALESFORCE_PASSWORD", "SALESFORCE_JWT_KEYSTORE",
            "SALESFORCE_JWT_KEYSTORE_PASSWORD", "KAFKA_BOOTSTRAP_SERVERS", "DIALER_API_KEYS");

    @TempDir
    Path workingDirectory;

    @Test
    void exitsAtOnceNamingEveryMissingVariable() throws Exception {
        Started bridge = start(Map.of("SALESFORCE_LOGIN_URL", "https://test.salesforce.com"));

        assertThat(bridge.exitCode()).isNotZero();
        assertThat(bridge.output()).contains("APPLICATION FAILED TO START")
                .contains("SALESFORCE_CLIENT_ID (camel.component.salesforce.client-id)")
                .contains("SALESFORCE_CLIENT_SECRET (camel.component.salesforce.client-secret)")
                .contains("SALESFORCE_USERNAME (camel.component.salesforce.user-name)")
                .contains("SALESFORCE_PASSWORD (camel.component.salesforce.password)")
                .contains("KAFKA_BOOTSTRAP_SERVERS (camel.component.kafka.brokers)")
                .contains("DIALER_API_KEYS (dialer.dispositions.api-keys)")
                // Stopped before the context: no Camel, no Tomcat, no connection attempt.
                .doesNotContain("Apache Camel", "Tomcat", "Login error");
    }

    @Test
    void namesOnlyWhatIsMissingAndNeverPrintsAValue() throws Exception {
        Started bridge = start(Map.of(
                "SALESFORCE_CLIENT_ID", "client-id-do-not-print",
                "SALESFORCE_CLIENT_SECRET", "client-secret-do-not-print",
                "SALESFORCE_USERNAME", "integration@example.com",
                "SALESFORCE_PASSWORD", "password-do-not-print",
                "DIALER_API_KEYS", "api-key-do-not-print-0001"));

        assertThat(bridge.exitCode()).isNotZero();
        assertThat(bridge.output()).contains("KAFKA_BOOTSTRAP_SERVERS (camel.component.kafka.brokers)")
                .doesNotContain("SALESFORCE_CLIENT_ID (", "SALESFORCE_PASSWORD (", "DIALER_API_KEYS (")
                .doesNotContain("do-not-print", "integration@example.com");
    }

    private record Started(int exitCode, String output) {
    }

    /**
     * Runs {@link DialerBridgeApplication} on this test's class path with the given settings and none of the others,
     * in an empty working directory (no routes, no application.yaml but the one on the class path).
     */
    private Started start(Map<String, String> settings) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                DialerBridgeApplication.class.getName(), "--server.port=0"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile())
                .redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        SETTINGS.forEach(environment::remove);
        environment.remove("SPRING_PROFILES_ACTIVE");
        environment.putAll(settings);
        Process process = builder.start();
        try {
            CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
            // A bridge that wrongly got past the check would keep running: that is a failure, not a hang.
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the bridge exited by itself").isTrue();
            return new Started(process.exitValue(), output.join());
        } finally {
            process.destroyForcibly();
        }
    }

    private static String readAll(InputStream stream) {
        try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
