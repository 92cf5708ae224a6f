package io.dialerbridge.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SalesforceIdTest {

    @Nested
    class Checksum {

        @ParameterizedTest
        @CsvSource({
            "a0RE000000IJmcN, a0RE000000IJmcNMAT",
            "001M000000qfPyS, 001M000000qfPySIAU",
            "a01M00000062mPg, a01M00000062mPgIAI",
            "0F9E000000092w2, 0F9E000000092w2KAA",
            "aaaaaaaaaaaaaaa, aaaaaaaaaaaaaaaAAA",
            "AbCdEfGhIjKlMnO, AbCdEfGhIjKlMnOVKV",
            "aBcDEfgHIJKLMNO, aBcDEfgHIJKLMNO025",
            "a0D30000001n7Pi, a0D30000001n7PiEAI",
        })
        void matchesSalesforceCaseSafeIds(String id15, String id18) {
            assertThat(SalesforceId.to18(id15)).isEqualTo(id18);
        }

        @Test
        void rejectsTextThatIsNotAnId() {
            assertThatThrownBy(() -> SalesforceId.checksum("00Q-not-an-id!!")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> SalesforceId.checksum("00Q12")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class Validation {

        @Test
        void acceptsFifteenAndEighteenCharacterForms() {
            assertThat(SalesforceId.isValid("001M000000qfPyS")).isTrue();
            assertThat(SalesforceId.isValid("001M000000qfPySIAU")).isTrue();
        }

        @Test
        void rejectsAWrongChecksumOrLength() {
            assertThat(SalesforceId.isValid("001M000000qfPySAAA")).isFalse();
            assertThat(SalesforceId.isValid("001M000000qfPySIA")).isFalse();
            assertThat(SalesforceId.isValid(null)).isFalse();
            assertThat(SalesforceId.isValid("001M000000qfPy_IAU")).isFalse();
        }

        @Test
        void exposesTheKeyPrefix() {
            assertThat(SalesforceId.keyPrefix("00Q5f000004XyZa")).contains("00Q");
            assertThat(SalesforceId.keyPrefix("bad")).isEmpty();
        }
    }
}
