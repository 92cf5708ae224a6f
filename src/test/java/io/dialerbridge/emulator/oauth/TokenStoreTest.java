package io.dialerbridge.emulator.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import io.dialerbridge.emulator.EmulatorSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class TokenStoreTest {

    private final TestClock clock = new TestClock(Instant.parse("2026-03-02T09:00:00Z"));
    private final EmulatorSettings settings = new EmulatorSettings().clock(clock).tokenTimeToLive(Duration.ofMinutes(5));
    private TokenStore tokens;

    @BeforeEach
    void createStore() {
        tokens = new TokenStore(settings);
    }

    @Nested
    class Issuing {

        @Test
        void looksLikeASalesforceSessionIdOfTheOrg() {
            AccessToken token = tokens.issue();

            assertThat(token.value()).startsWith("00D000000000001!AR").matches("[0-9A-Za-z]{15}!AR[A-Za-z0-9_-]{96}");
            assertThat(token.issuedAt()).isEqualTo(clock.instant());
            assertThat(token.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(5)));
            assertThat(tokens.isValid(token.value())).isTrue();
        }

        @Test
        void neverPrintsTheTokenValue() {
            AccessToken token = tokens.issue();

            assertThat(token.toString()).doesNotContain(token.value());
        }

        @Test
        void givesEveryCallerADistinctTokenWhenCalledConcurrently() throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Callable<String>> calls = IntStream.range(0, 400)
                        .<Callable<String>>mapToObj(i -> () -> tokens.issue().value()).toList();
                Set<String> values = new HashSet<>();
                for (Future<String> each : pool.invokeAll(calls)) {
                    values.add(each.get());
                }
                assertThat(values).hasSize(400).allMatch(tokens::isValid);
            } finally {
                pool.shutdownNow();
            }
        }

        @Test
        void rejectsTokensItNeverIssued() {
            assertThat(tokens.isValid("00D000000000001!ARforged")).isFalse();
            assertThat(tokens.isValid(null)).isFalse();
        }
    }

    @Nested
    class Expiry {

        @Test
        void endsATokenWhenItsTimeToLiveRunsOut() {
            String token = tokens.issue().value();

            clock.advance(Duration.ofMinutes(5).minusMillis(1));
            assertThat(tokens.isValid(token)).isTrue();
            clock.advance(Duration.ofMillis(1));
            assertThat(tokens.isValid(token)).isFalse();
        }

        @Test
        void expireAllEndsEveryLiveTokenButKeepsTheRefreshToken() {
            String first = tokens.issue().value();
            String second = tokens.issue().value();

            assertThat(tokens.expireAll()).isEqualTo(2);

            assertThat(tokens.isValid(first)).isFalse();
            assertThat(tokens.isValid(second)).isFalse();
            assertThat(tokens.acceptsRefreshToken(settings.refreshToken())).isTrue();
            assertThat(tokens.isValid(tokens.issue().value())).isTrue();
        }
    }

    @Nested
    class Revocation {

        @Test
        void revokesALiveAccessTokenOnce() {
            String token = tokens.issue().value();
            String other = tokens.issue().value();

            assertThat(tokens.revoke(token)).isTrue();
            assertThat(tokens.isValid(token)).isFalse();
            assertThat(tokens.isValid(other)).isTrue();
            assertThat(tokens.revoke(token)).isFalse();
        }

        @Test
        void treatsAnExpiredTokenAsUnknown() {
            String token = tokens.issue().value();
            clock.advance(Duration.ofMinutes(6));

            assertThat(tokens.revoke(token)).isFalse();
        }

        @Test
        void revokesTheRefreshToken() {
            assertThat(tokens.acceptsRefreshToken(settings.refreshToken())).isTrue();

            assertThat(tokens.revoke(settings.refreshToken())).isTrue();

            assertThat(tokens.acceptsRefreshToken(settings.refreshToken())).isFalse();
            assertThat(tokens.revoke(settings.refreshToken())).isFalse();
        }

        @Test
        void knowsNothingOfOtherText() {
            assertThat(tokens.revoke("not-a-token")).isFalse();
            assertThat(tokens.revoke(null)).isFalse();
        }
    }
}
