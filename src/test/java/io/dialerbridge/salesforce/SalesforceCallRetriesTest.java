package io.dialerbridge.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.component.salesforce.api.NoSuchSObjectException;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.component.salesforce.api.dto.RestError;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Which Salesforce failures pass by themselves, and how a call is repeated until it succeeds or the bridge stops. */
class SalesforceCallRetriesTest {

    /** As camel's producer template throws a failed REST call. */
    private static RuntimeException refused(int status, String... errorCodes) {
        List<RestError> errors = java.util.Arrays.stream(errorCodes).map(code -> {
            RestError error = new RestError();
            error.setErrorCode(code);
            error.setMessage("refused");
            return error;
        }).toList();
        return new CamelExecutionException("failed", null, new SalesforceException(errors, status));
    }

    /** As camel reports a request that got no answer: status 0, the transport's failure as cause. */
    private static RuntimeException unanswered(Throwable cause) {
        return new CamelExecutionException("failed", null,
                new SalesforceException("Unexpected error {0:null} executing {GET:…}", 0, cause));
    }

    @Nested
    class Transient {

        @Test
        void anOverloadedOrUnavailableServerALimitOrALockPasses() {
            assertThat(SalesforceCallRetries.isTransient(refused(503, "SERVER_UNAVAILABLE"))).isTrue();
            assertThat(SalesforceCallRetries.isTransient(refused(403, "REQUEST_LIMIT_EXCEEDED"))).isTrue();
            assertThat(SalesforceCallRetries.isTransient(refused(400, "UNABLE_TO_LOCK_ROW"))).isTrue();
            assertThat(SalesforceCallRetries.isTransient(refused(500, "UNKNOWN_EXCEPTION"))).isTrue();
            assertThat(SalesforceCallRetries.isTransient(refused(502))).isTrue();
            assertThat(SalesforceCallRetries.isTransient(refused(429))).isTrue();
        }

        @Test
        void noAnswerAtAllPasses() {
            assertThat(SalesforceCallRetries.isTransient(unanswered(new TimeoutException("60000 ms")))).isTrue();
            assertThat(SalesforceCallRetries.isTransient(unanswered(new ConnectException("refused")))).isTrue();
        }

        @Test
        void aRefusedQueryOrFieldDoesNot() {
            assertThat(SalesforceCallRetries.isTransient(refused(400, "INVALID_FIELD"))).isFalse();
            assertThat(SalesforceCallRetries.isTransient(refused(400, "MALFORMED_QUERY"))).isFalse();
            assertThat(SalesforceCallRetries.isTransient(new CamelExecutionException("failed", null,
                    new NoSuchSObjectException(List.of())))).isFalse();
            assertThat(SalesforceCallRetries.isTransient(new IllegalStateException("not JSON"))).isFalse();
        }
    }

    @Nested
    class Calls {

        @Test
        void aTransientFailureIsRepeatedUntilTheCallSucceeds() {
            AtomicInteger attempts = new AtomicInteger();
            SalesforceCallRetries retries = new SalesforceCallRetries(Duration.ZERO, Duration.ZERO, () -> false);

            String answer = retries.call("/data/ContactChangeEvent", "a test", () -> {
                if (attempts.incrementAndGet() < 4) {
                    throw refused(503, "SERVER_UNAVAILABLE");
                }
                return "answered";
            });

            assertThat(answer).isEqualTo("answered");
            assertThat(attempts).hasValue(4);
        }

        @Test
        void aPermanentFailureIsThrownAtOnce() {
            AtomicInteger attempts = new AtomicInteger();
            SalesforceCallRetries retries = new SalesforceCallRetries(Duration.ZERO, Duration.ZERO, () -> false);

            assertThatThrownBy(() -> retries.call("/data/ContactChangeEvent", "a test", () -> {
                attempts.incrementAndGet();
                throw refused(400, "INVALID_FIELD");
            })).isInstanceOf(CamelExecutionException.class);
            assertThat(attempts).hasValue(1);
        }

        @Test
        void waitingEndsWhenTheThreadIsInterrupted() {
            SalesforceCallRetries retries = new SalesforceCallRetries(Duration.ofSeconds(30), Duration.ofSeconds(30),
                    () -> false);
            try {
                assertThatThrownBy(() -> retries.call("/data/ContactChangeEvent", "a test", () -> {
                    Thread.currentThread().interrupt();
                    throw refused(503, "SERVER_UNAVAILABLE");
                })).isInstanceOf(RecoveryAbandonedException.class);
            } finally {
                Thread.interrupted();
            }
        }

        @Test
        void delaysMustBeOrdered() {
            assertThatThrownBy(() -> new SalesforceCallRetries(Duration.ofSeconds(2), Duration.ofSeconds(1),
                    () -> false)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
