package io.dialerbridge.command.phone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

class PhoneNormalizerTest {

    private final PhoneNormalizer normalizer = new PhoneNormalizer("US");

    @Nested
    class ReadableNumbers {

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "(415) 555-0134          | +14155550134",
            "415.555.0134            | +14155550134",
            "+1 650 253 0000         | +16502530000",
            "+44 20 7946 0958        | +442079460958",
            "(650) 253-0000 ext. 12  | +16502530000",
        })
        void becomeE164AndKeepTheRawText(String raw, String e164) {
            NormalizedPhone phone = normalizer.normalize(raw, "00Q5f000004XyZaEAK", "Phone");

            assertThat(phone).isEqualTo(new NormalizedPhone(e164, raw));
            assertThat(phone.isNormalized()).isTrue();
            assertThat(normalizer.unparsableCount()).isZero();
        }

        @Test
        void useTheConfiguredRegionForNationalNumbers() {
            assertThat(new PhoneNormalizer("gb").normalize("020 7946 0958", "x", "Phone").e164())
                    .isEqualTo("+442079460958");
        }
    }

    @Nested
    class UnreadableNumbers {

        private final Logger logger = (Logger) LoggerFactory.getLogger(PhoneNormalizer.class);
        private final ListAppender<ILoggingEvent> log = new ListAppender<>();

        @BeforeEach
        void captureLog() {
            log.start();
            logger.addAppender(log);
        }

        @AfterEach
        void releaseLog() {
            logger.detachAppender(log);
        }

        @Test
        void keepRawWithANullE164AndAreCounted() {
            NormalizedPhone text = normalizer.normalize("ask reception", "00Q5f000004XyZaEAK", "Phone");
            NormalizedPhone local = normalizer.normalize("555-0134", "00Q5f000004XyZaEAK", "MobilePhone");

            assertThat(text).isEqualTo(new NormalizedPhone(null, "ask reception"));
            assertThat(local).isEqualTo(new NormalizedPhone(null, "555-0134"));
            assertThat(local.toData()).containsEntry("e164", null).containsEntry("raw", "555-0134");
            assertThat(normalizer.unparsableCount()).isEqualTo(2);
        }

        @Test
        void areLoggedAtInfoWithoutTheNumber() {
            normalizer.normalize("555-0134", "00Q5f000004XyZaEAK", "MobilePhone");

            assertThat(log.list).singleElement().satisfies(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.INFO);
                assertThat(event.getFormattedMessage())
                        .contains("***-**34", "00Q5f000004XyZaEAK.MobilePhone")
                        .doesNotContain("555", "0134");
            });
        }
    }

    @Nested
    class Masking {

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "(415) 555-0134          | (***) ***-**34",
            "call 415 555 0134 later | **** *** *** **34 *****",
            "7                       | 7",
        })
        void hidesAllButTheLastTwoDigits(String raw, String masked) {
            assertThat(PhoneNormalizer.mask(raw)).isEqualTo(masked);
        }
    }

    @Test
    void refusesARegionLibphonenumberDoesNotKnow() {
        assertThatThrownBy(() -> new PhoneNormalizer("XX"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dialer.mapping.default-region");
    }
}
