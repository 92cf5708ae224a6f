package io.dialerbridge.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.mock.env.MockEnvironment;

class ProductionSettingsCheckTest {

    private final ProductionSettingsCheck check = new ProductionSettingsCheck();

    @Test
    void stopsAStartWithoutProfileThatLacksSettings() {
        assertThatThrownBy(() -> check.check(new MockEnvironment()))
                .isInstanceOf(ProductionSettingsException.class)
                .hasMessageContaining("SALESFORCE_CLIENT_ID (camel.component.salesforce.client-id)")
                .hasMessageContaining("KAFKA_BOOTSTRAP_SERVERS (camel.component.kafka.brokers)");
    }

    @Test
    void leavesTheLocalProfileAlone() {
        MockEnvironment local = new MockEnvironment();
        local.setActiveProfiles("local");

        assertThatNoException().isThrownBy(() -> check.check(local));
    }

    @Test
    void canBeSwitchedOffForTestsThatWireTheComponentsThemselves() {
        MockEnvironment switchedOff = new MockEnvironment().withProperty(ProductionSettingsCheck.ENABLED, "false");

        assertThatNoException().isThrownBy(() -> check.check(switchedOff));
    }

    @Test
    void runsRightAfterLoggingIsSetUp() {
        assertThat(check.getOrder()).isGreaterThan(LoggingApplicationListener.DEFAULT_ORDER);
    }

    @Test
    void reportsEachSettingAndTheWayToLocalMode() {
        ProductionSettingsException failure = new ProductionSettingsException(
                new ProductionSettingsValidator().validate(new MockEnvironment()));

        FailureAnalysis analysis = new ProductionSettingsFailureAnalyzer().analyze(failure);

        assertThat(analysis.getDescription()).contains("  - DIALER_API_KEYS (dialer.dispositions.api-keys): not set");
        assertThat(analysis.getAction()).contains("./mvnw spring-boot:test-run");
    }
}
