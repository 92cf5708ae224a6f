package io.dialerbridge.disposition;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An RFC 9457 {@code application/problem+json} body for the dispositions API, with the problem types the API can
 * answer with.
 *
 * <p>Problem types are {@code https://dialer-bridge.io/problems/<slug>}; the slug is the stable identifier a client
 * may switch on, and the titles are fixed per type (RFC 9457 says a title must not change from occurrence to
 * occurrence). Details never echo request content beyond a media type, since bodies carry phone numbers and notes.
 *
 * @param errors the field violations of a validation problem; absent from the JSON for every other problem
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "title", "status", "detail", "errors"})
public record ProblemDetails(URI type, String title, int status, String detail, List<FieldViolation> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** The {@code WWW-Authenticate} value to send with a 401, as RFC 9110 requires and RFC 6750 spells it. */
    public static final String WWW_AUTHENTICATE = "Bearer realm=\"dialer-bridge\"";

    public static final String TYPE_BASE = "https://dialer-bridge.io/problems/";
    public static final URI INVALID_DISPOSITION = URI.create(TYPE_BASE + "invalid-disposition");
    public static final URI MALFORMED_JSON = URI.create(TYPE_BASE + "malformed-json");
    public static final URI UNAUTHORIZED = URI.create(TYPE_BASE + "unauthorized");
    public static final URI CONTENT_TOO_LARGE = URI.create(TYPE_BASE + "content-too-large");
    public static final URI UNSUPPORTED_MEDIA_TYPE = URI.create(TYPE_BASE + "unsupported-media-type");
    public static final URI INTAKE_UNAVAILABLE = URI.create(TYPE_BASE + "intake-unavailable");
    public static final URI INTERNAL_ERROR = URI.create(TYPE_BASE + "internal-error");

    /** Seconds a client is asked to wait before retrying after a 503. */
    public static final int RETRY_AFTER_SECONDS = 5;

    /** A received media type longer than this is cut, so a hostile header cannot bloat the answer or the logs. */
    private static final int MAX_ECHOED_MEDIA_TYPE = 100;

    public ProblemDetails {
        errors = errors == null ? null : List.copyOf(errors);
    }

    /** 400: the body is JSON but one or more dispositions in it break the contract; {@code errors} names each. */
    public static ProblemDetails invalidDisposition(List<FieldViolation> violations) {
        if (violations == null || violations.isEmpty()) {
            throw new IllegalArgumentException("a validation problem needs at least one violation");
        }
        String detail = violations.size() == 1 ? "1 field failed validation."
                : violations.size() + " fields failed validation.";
        return new ProblemDetails(INVALID_DISPOSITION, "Invalid disposition", 400, detail, violations);
    }

    /** The same problem with another detail. */
    public ProblemDetails withDetail(String newDetail) {
        return new ProblemDetails(type, title, status, newDetail, errors);
    }

    /** 400: the body could not be parsed as JSON at all. */
    public static ProblemDetails malformedJson() {
        return new ProblemDetails(MALFORMED_JSON, "Malformed JSON", 400, "The request body is not valid JSON.", null);
    }

    /** 400 with the parser's position, which helps a client find the error without echoing the body back. */
    public static ProblemDetails malformedJson(long line, long column) {
        return new ProblemDetails(MALFORMED_JSON, "Malformed JSON", 400,
                "The request body is not valid JSON (line " + line + ", column " + column + ").", null);
    }

    /** 401: one answer for a missing, malformed or wrong key, so a caller learns nothing about which it was. */
    public static ProblemDetails unauthorized() {
        return new ProblemDetails(UNAUTHORIZED, "Unauthorized", 401,
                "Send a valid API key as 'Authorization: Bearer <key>'.", null);
    }

    /** 413: the body is larger than the bridge accepts. */
    public static ProblemDetails contentTooLarge(long maxBytes) {
        return new ProblemDetails(CONTENT_TOO_LARGE, "Content too large", 413,
                "The request body must be at most " + maxBytes + " bytes.", null);
    }

    /** 415: the body is not declared as JSON. */
    public static ProblemDetails unsupportedMediaType(String received) {
        String shown = received == null || received.isBlank() ? "none"
                : received.strip().replaceAll("\\p{Cntrl}", "?");
        if (shown.length() > MAX_ECHOED_MEDIA_TYPE) {
            shown = shown.substring(0, MAX_ECHOED_MEDIA_TYPE) + "…";
        }
        return new ProblemDetails(UNSUPPORTED_MEDIA_TYPE, "Unsupported media type", 415,
                "Content-Type must be application/json; got " + shown + ".", null);
    }

    /**
     * 503: the dispositions could not be handed to Kafka. Some of them may have been stored; sending the same
     * request again is safe, because a call id is published to Salesforce only once.
     */
    public static ProblemDetails intakeUnavailable() {
        return new ProblemDetails(INTAKE_UNAVAILABLE, "Intake unavailable", 503,
                "The dispositions could not be stored. Send the same request again later; call ids already stored"
                        + " are published only once.", null);
    }

    /** 500: the bridge failed in a way it did not expect; the log has the cause. */
    public static ProblemDetails internalError() {
        return new ProblemDetails(INTERNAL_ERROR, "Internal error", 500,
                "The bridge could not process the request.", null);
    }

    /** The body as an ordered map, for writers that do not go through Jackson's annotations. */
    public Map<String, Object> toMap() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type.toString());
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        if (errors != null) {
            body.put("errors", errors.stream().map(e -> {
                Map<String, Object> error = new LinkedHashMap<>();
                error.put("field", e.field());
                error.put("message", e.message());
                return error;
            }).toList());
        }
        return body;
    }
}
