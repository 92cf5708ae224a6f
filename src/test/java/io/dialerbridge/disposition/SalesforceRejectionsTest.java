package io.dialerbridge.disposition;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.camel.component.salesforce.api.dto.RestError;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SalesforceRejectionsTest {

    @ParameterizedTest
    @ValueSource(strings = {"UNABLE_TO_LOCK_ROW", "REQUEST_LIMIT_EXCEEDED", "LIMIT_EXCEEDED", "SERVER_UNAVAILABLE",
        "PLATFORM_EVENT_PUBLISHING_UNAVAILABLE"})
    void limitsLocksAndUnavailabilityAreTransient(String code) {
        assertThat(SalesforceRejections.isTransient(List.of(new RestError(code, "m")))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"INVALID_FIELD", "STRING_TOO_LONG", "REQUIRED_FIELD_MISSING", "SOMETHING_NEW"})
    void fieldErrorsAndUnknownCodesArePermanent(String code) {
        assertThat(SalesforceRejections.isTransient(List.of(new RestError(code, "m")))).isFalse();
    }

    @Test
    void oneTransientErrorBesideAPermanentOneIsPermanent() {
        assertThat(SalesforceRejections.isTransient(List.of(new RestError("UNABLE_TO_LOCK_ROW", "m"),
                new RestError("INVALID_FIELD", "m")))).isFalse();
    }

    @Test
    void aFailureWithoutErrorsIsTriedAgain() {
        assertThat(SalesforceRejections.isTransient(List.of())).isTrue();
        assertThat(SalesforceRejections.isTransient(null)).isTrue();
    }

    @Test
    void violationsNameTheFieldsOrTheRootAndLeadWithTheCode() {
        assertThat(SalesforceRejections.violations(List.of(
                new RestError("STRING_TOO_LONG", "too long", List.of("Notes__c")),
                new RestError("UNKNOWN_EXCEPTION", "boom", List.of()))))
                .containsExactly(new FieldViolation("Notes__c", "STRING_TOO_LONG: too long"),
                        new FieldViolation("$", "UNKNOWN_EXCEPTION: boom"));
    }

    @Test
    void logsGetTheCodesOnly() {
        assertThat(SalesforceRejections.codes(List.of(new RestError("STRING_TOO_LONG", "+14155550134 is too long"))))
                .isEqualTo("[STRING_TOO_LONG]");
    }
}
