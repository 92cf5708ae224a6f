package io.dialerbridge.salesforce;

import io.micrometer.core.instrument.Metrics;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.component.salesforce.api.dto.RestError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repeats a Salesforce REST call that failed for a reason that passes, until it succeeds. Such reasons are an
 * overloaded or unavailable server, a limit that resets, a timeout, a lost connection; it waits longer each time up to
 * a cap, on the calling thread. The stream consumer runs each channel on one thread, so while a refetch or resync waits
 * here the channel's later events wait too, and its checkpoint cannot pass the event. A failure that will not pass (a
 * refused query, an unknown field: any other 4xx) is thrown at once, for the route to dead-letter.
 *
 * <p>The waiting ends when the bridge stops: the call then throws {@link RecoveryAbandonedException}, which the
 * stream routes leave unacknowledged, so the event comes again after the restart.
 */
public final class SalesforceCallRetries {

    private static final Logger LOG = LoggerFactory.getLogger(SalesforceCallRetries.class);

    /** Error codes Salesforce documents as transient; the same call later can succeed. */
    static final Set<String> TRANSIENT_CODES = Set.of("REQUEST_LIMIT_EXCEEDED", "SERVER_UNAVAILABLE",
            "UNABLE_TO_LOCK_ROW", "QUERY_TIMEOUT", "UNKNOWN_EXCEPTION");
    /** How often a wait looks whether the bridge is stopping. */
    private static final long STOP_CHECK_MILLIS = 100;

    private final Duration firstDelay;
    private final Duration maxDelay;
    private final BooleanSupplier stopping;

    /**
     * @param firstDelay the wait after the first failure; it doubles after each further one
     * @param maxDelay   the longest wait between two attempts
     * @param stopping   whether the bridge is stopping, so waiting makes no sense any more
     */
    public SalesforceCallRetries(Duration firstDelay, Duration maxDelay, BooleanSupplier stopping) {
        if (firstDelay.isNegative() || maxDelay.compareTo(firstDelay) < 0) {
            throw new IllegalArgumentException("retry delays must satisfy 0 <= first delay <= max delay: "
                    + firstDelay + ", " + maxDelay);
        }
        this.firstDelay = firstDelay;
        this.maxDelay = maxDelay;
        this.stopping = stopping;
    }

    /** One second doubling to 30 s, until the thread is interrupted: for tests and tools without a Camel context. */
    public static SalesforceCallRetries untilInterrupted() {
        return new SalesforceCallRetries(Duration.ofSeconds(1), Duration.ofSeconds(30), () -> false);
    }

    /**
     * The call's result, after as many attempts as transient failures demand.
     *
     * @param channel the streaming channel whose event needs the call, for the log and the metric
     * @param what    what the call reads, for the log (never a secret)
     */
    public <T> T call(String channel, String what, Supplier<T> call) {
        Duration delay = firstDelay;
        for (int attempt = 1; ; attempt++) {
            abandonIfStopping(channel, what, null);
            try {
                return call.get();
            } catch (RuntimeException failure) {
                abandonIfStopping(channel, what, failure);
                if (!isTransient(failure)) {
                    throw failure;
                }
                Metrics.counter("dialer.recovery.retries", "channel", channel).increment();
                LOG.warn("Salesforce could not answer {} for {} (attempt {}): {}; trying again in {} ms", what,
                        channel, attempt, summary(failure), delay.toMillis());
                await(delay, channel, what, failure);
                delay = delay.multipliedBy(2).compareTo(maxDelay) > 0 ? maxDelay : delay.multipliedBy(2);
            }
        }
    }

    private void await(Duration delay, String channel, String what, RuntimeException failure) {
        long deadline = System.nanoTime() + delay.toNanos();
        for (long left = delay.toNanos(); left > 0; left = deadline - System.nanoTime()) {
            try {
                TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(STOP_CHECK_MILLIS)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RecoveryAbandonedException(channel, what, e);
            }
            abandonIfStopping(channel, what, failure);
        }
    }

    private void abandonIfStopping(String channel, String what, RuntimeException failure) {
        if (stopping.getAsBoolean() || Thread.currentThread().isInterrupted()) {
            throw new RecoveryAbandonedException(channel, what, failure);
        }
    }

    /**
     * Whether the failure passes by itself: no answer at all (timeout, connection), HTTP 408, 429 or 5xx, or an error
     * code Salesforce documents as transient ({@code REQUEST_LIMIT_EXCEEDED} comes with a 403).
     */
    public static boolean isTransient(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException || cause instanceof TimeoutException) {
                return true;
            }
            if (cause instanceof SalesforceException salesforce) {
                List<RestError> errors = salesforce.getErrors();
                if (errors != null
                        && errors.stream().anyMatch(error -> TRANSIENT_CODES.contains(error.getErrorCode()))) {
                    return true;
                }
                int status = salesforce.getStatusCode();
                if (status == 408 || status == 429 || status >= 500) {
                    return true;
                }
                if (status >= 400) {
                    return false;
                }
                // status 0: no answer; the cause (further down) says why
            }
        }
        return false;
    }

    /** Whether Salesforce refused the call with this error code. */
    public static boolean hasErrorCode(Throwable failure, String errorCode) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SalesforceException salesforce && salesforce.getErrors() != null
                    && salesforce.getErrors().stream().anyMatch(error -> errorCode.equals(error.getErrorCode()))) {
                return true;
            }
        }
        return false;
    }

    /** Status and error codes only: Salesforce's messages can quote record values. */
    private static String summary(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SalesforceException salesforce && salesforce.getStatusCode() > 0) {
                return "HTTP " + salesforce.getStatusCode() + (salesforce.getErrors() == null ? ""
                        : " " + salesforce.getErrors().stream().map(RestError::getErrorCode).toList());
            }
            if (cause instanceof IOException || cause instanceof TimeoutException) {
                return cause.getClass().getSimpleName();
            }
        }
        return failure.getClass().getSimpleName();
    }
}
