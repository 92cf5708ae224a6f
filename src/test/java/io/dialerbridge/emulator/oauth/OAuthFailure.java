package io.dialerbridge.emulator.oauth;

/**
 * A refused OAuth request, carrying the two fields Salesforce puts in its 400 body.
 */
final class OAuthFailure extends Exception {

    private final String error;
    private final String description;

    OAuthFailure(String error, String description) {
        // No stack trace: this is an answer to the client, not a fault in the emulator.
        super(error + ": " + description, null, false, false);
        this.error = error;
        this.description = description;
    }

    static OAuthFailure invalidRequest(String description) {
        return new OAuthFailure("invalid_request", description);
    }

    static OAuthFailure invalidClientId() {
        return new OAuthFailure("invalid_client_id", "client identifier invalid");
    }

    static OAuthFailure invalidClient() {
        return new OAuthFailure("invalid_client", "invalid client credentials");
    }

    static OAuthFailure invalidGrant(String description) {
        return new OAuthFailure("invalid_grant", description);
    }

    static OAuthFailure authenticationFailure() {
        return invalidGrant("authentication failure");
    }

    static OAuthFailure unsupportedGrantType() {
        return new OAuthFailure("unsupported_grant_type", "grant type not supported");
    }

    String error() {
        return error;
    }

    String description() {
        return description;
    }
}
