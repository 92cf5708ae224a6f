package io.dialerbridge.emulator.data;

import java.util.List;

/** A failure Salesforce reports as an HTTP status and an error array such as {@code [{"errorCode":"NOT_FOUND",…}]}. */
public class SalesforceApiException extends RuntimeException {

    private final int status;
    private final String errorCode;
    private final List<String> fields;

    public SalesforceApiException(int status, String errorCode, String message, List<String> fields) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
        this.fields = List.copyOf(fields);
    }

    public SalesforceApiException(int status, String errorCode, String message) {
        this(status, errorCode, message, List.of());
    }

    public static SalesforceApiException notFound() {
        return new SalesforceApiException(404, "NOT_FOUND", "The requested resource does not exist");
    }

    public static SalesforceApiException invalidField(String message, String field) {
        return new SalesforceApiException(400, "INVALID_FIELD", message, List.of(field));
    }

    /** A SOQL query naming a field its object lacks, in Salesforce's words (custom-field hint included). */
    public static SalesforceApiException noSuchColumn(SObjectType type, String field) {
        return new SalesforceApiException(400, "INVALID_FIELD", "No such column '" + field + "' on entity '"
                + type.name() + "'. If you are attempting to use a custom field, be sure to append the '__c' after the"
                + " custom field name. Please reference your WSDL or the describe call for the appropriate names.");
    }

    public static SalesforceApiException malformedId(String objectLabel, String id) {
        return new SalesforceApiException(400, "MALFORMED_ID", objectLabel + " ID: id value of incorrect type: " + id,
                List.of("Id"));
    }

    public int status() {
        return status;
    }

    public String errorCode() {
        return errorCode;
    }

    public List<String> fields() {
        return fields;
    }
}
