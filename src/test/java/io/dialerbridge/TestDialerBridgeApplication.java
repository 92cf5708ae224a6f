package io.dialerbridge;

import io.dialerbridge.local.TestConfigurationsExcluded;
import org.springframework.boot.SpringApplication;

/**
 * Local mode: the bridge with the test classpath's Salesforce emulator, Kafka broker and demo traffic, started by
 * {@code ./mvnw spring-boot:test-run} (the {@code local} profile of application.yaml, turned on here).
 */
public final class TestDialerBridgeApplication {

    private TestDialerBridgeApplication() {
    }

    public static void main(String[] args) {
        SpringApplication.from(DialerBridgeApplication::main)
                .with(TestConfigurationsExcluded.class)
                .withAdditionalProfiles("local")
                .run(args);
    }
}
