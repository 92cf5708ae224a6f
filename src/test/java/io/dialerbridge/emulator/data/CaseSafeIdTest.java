package io.dialerbridge.emulator.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CaseSafeIdTest {

    @ParameterizedTest
    @CsvSource({
        "a0RE000000IJmcN, a0RE000000IJmcNMAT",
        "001M000000qfPyS, 001M000000qfPySIAU",
        "0F9E000000092w2, 0F9E000000092w2KAA",
        "aaaaaaaaaaaaaaa, aaaaaaaaaaaaaaaAAA",
        "AbCdEfGhIjKlMnO, AbCdEfGhIjKlMnOVKV",
        "aBcDEfgHIJKLMNO, aBcDEfgHIJKLMNO025",
    })
    void appendsTheChecksumSalesforceAppends(String id15, String id18) {
        assertThat(CaseSafeId.of(id15)).isEqualTo(id18);
        assertThat(CaseSafeId.of(id18)).isEqualTo(id18);
    }

    @Test
    void acceptsBothFormsAndRejectsAWrongChecksumOrLength() {
        assertThat(CaseSafeId.isValid("001M000000qfPyS")).isTrue();
        assertThat(CaseSafeId.isValid("001M000000qfPySIAU")).isTrue();
        assertThat(CaseSafeId.isValid("001M000000qfPySAAA")).isFalse();
        assertThat(CaseSafeId.isValid("001M000000qfPySIA")).isFalse();
        assertThat(CaseSafeId.isValid("00Q-not-an-id!!")).isFalse();
        assertThatThrownBy(() -> CaseSafeId.of("00Q12")).isInstanceOf(IllegalArgumentException.class);
    }
}
