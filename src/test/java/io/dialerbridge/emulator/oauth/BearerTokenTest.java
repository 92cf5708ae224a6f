package io.dialerbridge.emulator.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class BearerTokenTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "Bearer 00D000000000001!ARabc_-",
        "OAuth 00D000000000001!ARabc_-",
        "bearer 00D000000000001!ARabc_-",
        "OAUTH 00D000000000001!ARabc_-",
        "  Bearer   00D000000000001!ARabc_-  ",
        "00D000000000001!ARabc_-",
        "  00D000000000001!ARabc_-  ",
    })
    void readsTheTokenAfterEitherSchemeOrWithoutOneAsEmpConnectorSendsIt(String header) {
        assertThat(BearerToken.parse(header)).contains("00D000000000001!ARabc_-");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
        "Bearer",
        "Bearer ",
        "OAuth",
        "   ",
        "Basic ZGlhbGVyOnNlY3JldA==",
        "Token 00D000000000001!ARabc",
        "Bearer two parts",
        "two words",
    })
    void findsNothingInOtherHeaders(String header) {
        assertThat(BearerToken.parse(header)).isEmpty();
    }
}
