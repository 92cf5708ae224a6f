package io.dialerbridge.emulator.rest;

import static io.dialerbridge.emulator.rest.EmulatorRestClient.V56;
import static org.assertj.core.api.Assertions.assertThat;

import io.dialerbridge.emulator.EmulatorSettings;
import io.dialerbridge.emulator.SalesforceEmulator;
import io.dialerbridge.emulator.rest.EmulatorRestClient.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The forms of {@code Authorization} real clients send to REST: camel's {@code Bearer}, CometD-style {@code OAuth},
 * and the bare token of EMP-Connector and older integrations.
 */
class AuthorizationHeaderIT {

    private static final String QUERY = V56 + "query/?q=SELECT%20Id%20FROM%20Lead";

    private SalesforceEmulator emulator;
    private EmulatorRestClient api;

    @BeforeEach
    void start() throws Exception {
        emulator = new SalesforceEmulator(EmulatorSettings.dialerOrg()).start();
        api = EmulatorRestClient.loggedIn(emulator);
    }

    @AfterEach
    void stop() throws Exception {
        emulator.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer ", "OAuth ", ""})
    void aLiveTokenIsAcceptedWithEitherSchemeOrNone(String scheme) throws Exception {
        Reply reply = api.getWithAuthorization(QUERY, scheme + api.accessToken());

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("totalSize").asInt()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-a-token", "Basic ZGlhbGVyOnNlY3JldA==", "Bearer"})
    void anythingElseIsAnInvalidSession(String authorization) throws Exception {
        Reply reply = api.getWithAuthorization(QUERY, authorization);

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.firstError().get("errorCode").asText()).isEqualTo("INVALID_SESSION_ID");
        assertThat(reply.firstError().get("message").asText()).isEqualTo("Session expired or invalid");
    }

    @Test
    void noHeaderIsAnInvalidSessionToo() throws Exception {
        assertThat(api.getWithAuthorization(QUERY, null).status()).isEqualTo(401);
    }
}
