package io.dialerbridge.emulator.oauth;

import java.time.Instant;

/**
 * One access token the emulated org has issued, with the instants that bound its life.
 *
 * @param value the opaque session id a client sends back as {@code Bearer} or {@code OAuth}
 * @param issuedAt when the token was issued, on the emulator's clock
 * @param expiresAt the first instant at which the token is no longer accepted
 */
public record AccessToken(String value, Instant issuedAt, Instant expiresAt) {

    /** Keeps the token value out of logs and assertion messages that print the record. */
    @Override
    public String toString() {
        return "AccessToken[issuedAt=" + issuedAt + ", expiresAt=" + expiresAt + "]";
    }
}
