package io.dialerbridge.disposition;

import java.util.Map;
import java.util.Objects;

/**
 * Raised when the intake refuses a request, carrying the problem to answer with. One {@code onException} thus turns
 * every refusal (401, 413, 415, 400) into the same kind of {@code application/problem+json} response.
 */
public class RejectedRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient ProblemDetails problem;
    private final transient Map<String, String> responseHeaders;

    public RejectedRequestException(ProblemDetails problem) {
        this(problem, Map.of());
    }

    /** @param responseHeaders extra headers the answer needs, such as {@code WWW-Authenticate} on a 401 */
    public RejectedRequestException(ProblemDetails problem, Map<String, String> responseHeaders) {
        // The title and status only: details may one day say more than a log line should.
        super(Objects.requireNonNull(problem, "problem").status() + " " + problem.title());
        this.problem = problem;
        this.responseHeaders = Map.copyOf(responseHeaders);
    }

    public ProblemDetails problem() {
        return problem;
    }

    public Map<String, String> responseHeaders() {
        return responseHeaders;
    }
}
