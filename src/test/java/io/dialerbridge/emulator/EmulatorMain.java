package io.dialerbridge.emulator;

import io.dialerbridge.emulator.pubsub.EmulatorCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the Salesforce emulator on its own, so that any Salesforce client can be pointed at it. Options: {@code
 * --port=8090} (or {@code EMULATOR_PORT}), {@code --pubsub-port=8091} (or {@code EMULATOR_PUBSUB_PORT}), {@code
 * --host=127.0.0.1} (or {@code EMULATOR_HOST}).
 */
public final class EmulatorMain {

    private EmulatorMain() {
    }

    public static void main(String[] args) throws Exception {
        EmulatorSettings settings = EmulatorSettings.dialerOrg()
                .port(Integer.parseInt(option(args, "port", "EMULATOR_PORT", "8090")))
                .pubSubPort(Integer.parseInt(option(args, "pubsub-port", "EMULATOR_PUBSUB_PORT", "8091")))
                .host(option(args, "host", "EMULATOR_HOST", "127.0.0.1"));
        SalesforceEmulator emulator = new SalesforceEmulator(settings).start();
        Path certificate = Files.createTempFile("salesforce-emulator", ".pem");
        certificate.toFile().deleteOnExit();
        EmulatorCertificate.forHost(settings.host()).writePem(certificate);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                emulator.close();
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }, "emulator-shutdown"));
        System.out.printf("""

                Salesforce emulator running. Point a Salesforce client at it:
                  login URL      %s
                  client id      %s
                  client secret  %s
                  username       %s
                  password       %s
                  streaming      %s/cometd/56.0
                  Pub/Sub API    %s:%d (TLS; pubSubHost / pubSubPort)
                  trust (Java)   -Djavax.net.ssl.trustStore=%s -Djavax.net.ssl.trustStorePassword=%s
                  trust (PEM)    %s
                  admin API      %s/emulator/api-calls
                Stop with Ctrl+C.
                %n""", emulator.baseUrl(), settings.clientId(), settings.clientSecret(), settings.username(),
                settings.password(), emulator.baseUrl(), emulator.pubSubHost(), emulator.pubSubPort(),
                EmulatorCertificate.trustStore(),
                EmulatorCertificate.TRUST_STORE_PASSWORD, certificate,
                emulator.baseUrl());
        stopped.await();
    }

    private static String option(String[] args, String name, String environmentVariable, String fallback) {
        for (String arg : args) {
            if (arg.startsWith("--" + name + "=")) {
                return arg.substring(name.length() + 3);
            }
        }
        String fromEnvironment = System.getenv(environmentVariable);
        return fromEnvironment != null && !fromEnvironment.isBlank() ? fromEnvironment : fallback;
    }
}
