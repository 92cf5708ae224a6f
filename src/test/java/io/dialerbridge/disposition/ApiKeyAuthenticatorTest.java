package io.dialerbridge.disposition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ApiKeyAuthenticatorTest {

    private static final String KEY = "k3y-0ne_ABCDEFGHIJ";
    private static final String OTHER_KEY = "second.key~0123456789+/==";

    private final ApiKeyAuthenticator authenticator = new ApiKeyAuthenticator(List.of(KEY, OTHER_KEY));

    @Nested
    class Accepts {

        @Test
        void everyConfiguredKey() {
            assertThat(authenticator.accepts("Bearer " + KEY)).isTrue();
            assertThat(authenticator.accepts("Bearer " + OTHER_KEY)).isTrue();
        }

        @ParameterizedTest
        @ValueSource(strings = {"bearer ", "BEARER ", "Bearer   ", "  Bearer "})
        void theSchemeInAnyCaseAndSpacing(String prefix) {
            assertThat(authenticator.accepts(prefix + KEY)).isTrue();
        }

        @Test
        void keysFromACommaSeparatedSetting() {
            ApiKeyAuthenticator fromSetting = ApiKeyAuthenticator.fromCommaSeparated(" " + KEY + " , " + OTHER_KEY);

            assertThat(fromSetting.accepts("Bearer " + KEY)).isTrue();
            assertThat(fromSetting.accepts("Bearer " + OTHER_KEY)).isTrue();
        }
    }

    @Nested
    class Rejects {

        @ParameterizedTest
        @NullAndEmptySource
        @ValueSource(strings = {"Bearer", "Bearer ", KEY, "Basic " + KEY, "Token " + KEY, "Bearer" + KEY})
        void aMissingHeaderOrAnotherScheme(String header) {
            assertThat(authenticator.accepts(header)).isFalse();
        }

        @ParameterizedTest
        @ValueSource(strings = {"k3y-0ne_ABCDEFGHIj", "k3y-0ne_ABCDEFGHI", "k3y-0ne_ABCDEFGHIJK", "x"})
        void aWrongKey(String key) {
            assertThat(authenticator.accepts("Bearer " + key)).isFalse();
        }

        @Test
        void twoKeysAtOnce() {
            assertThat(authenticator.accepts("Bearer " + KEY + " " + OTHER_KEY)).isFalse();
        }
    }

    @Nested
    class Configuration {

        @Test
        void toStringHidesTheKeys() {
            assertThat(authenticator.toString())
                    .isEqualTo("ApiKeyAuthenticator[keys=2]")
                    .doesNotContain(KEY)
                    .doesNotContain(OTHER_KEY);
        }

        @Test
        void needsAtLeastOneKey() {
            assertThatThrownBy(() -> new ApiKeyAuthenticator(List.of())).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ApiKeyAuthenticator.fromCommaSeparated(" ")).isInstanceOf(
                    IllegalArgumentException.class);
        }

        @Test
        void refusesShortKeysWithoutNamingThem() {
            assertThatThrownBy(() -> new ApiKeyAuthenticator(List.of(KEY, "short-key")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("#2")
                    .hasMessageNotContaining("short-key");
        }

        @Test
        void refusesKeysThatCannotTravelAsABearerToken() {
            assertThatThrownBy(() -> new ApiKeyAuthenticator(List.of("has a space in the key")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("#1")
                    .hasMessageNotContaining("space in");
        }

        @Test
        void ignoresEmptyEntriesInTheSetting() {
            ApiKeyAuthenticator fromSetting = ApiKeyAuthenticator.fromCommaSeparated(KEY + ", ," + OTHER_KEY + ",");

            assertThat(fromSetting).hasToString("ApiKeyAuthenticator[keys=2]");
            assertThat(fromSetting.accepts("Bearer " + OTHER_KEY)).isTrue();
        }
    }
}
