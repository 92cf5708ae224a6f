package io.dialerbridge.operations;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns missing production settings into Spring Boot's startup failure report, one line per setting, no trace. */
public class ProductionSettingsFailureAnalyzer extends AbstractFailureAnalyzer<ProductionSettingsException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ProductionSettingsException cause) {
        String description = "dialer-bridge is missing settings it needs outside the local profile (nothing was"
                + " connected to):" + System.lineSeparator() + ProductionSettingsException.lines(cause.problems());
        String action = "Set each environment variable above (or the property in brackets, e.g. in application.yaml)"
                + " and start again. To try the bridge without a Salesforce org or Kafka, run local mode from the"
                + " source tree: ./mvnw spring-boot:test-run.";
        return new FailureAnalysis(description, action, cause);
    }
}
