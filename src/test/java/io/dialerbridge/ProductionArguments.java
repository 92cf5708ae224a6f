package io.dialerbridge;

import io.dialerbridge.emulator.EmulatorSettings;
import io.dialerbridge.emulator.SalesforceEmulator;
import io.dialerbridge.local.kafka.EmbeddedKafkaBroker;
import java.util.List;

/**
 * The settings a deployment passes to the bridge in production mode, as command-line arguments (they win over the
 * yaml), pointed at an emulated org and a broker: the Salesforce login, the Kafka brokers and an intake API key
 * (production mode refuses to start without one, see docs/operations.md).
 */
public final class ProductionArguments {

    private ProductionArguments() {
    }

    public static List<String> against(SalesforceEmulator emulator, EmbeddedKafkaBroker broker, String apiKey) {
        EmulatorSettings org = emulator.settings();
        return List.of(
                "--camel.component.salesforce.login-url=" + emulator.baseUrl(),
                "--camel.component.salesforce.client-id=" + org.clientId(),
                "--camel.component.salesforce.client-secret=" + org.clientSecret(),
                "--camel.component.salesforce.user-name=" + org.username(),
                "--camel.component.salesforce.password=" + org.password(),
                "--camel.component.kafka.brokers=" + broker.bootstrapServers(),
                "--dialer.dispositions.api-keys=" + apiKey);
    }
}
