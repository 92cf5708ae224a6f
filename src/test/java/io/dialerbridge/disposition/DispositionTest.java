package io.dialerbridge.disposition;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DispositionTest {

    private static final Disposition FULL = new Disposition("c-2026-11-27-000123", "00Q5f000004XyZaEAK",
            DispositionCode.FOLLOW_UP_LATER, "+14155550134", "7015f000000AbCdAAK", "agent-42",
            Instant.parse("2026-11-27T15:04:05Z"), Instant.parse("2026-11-27T15:06:10Z"), 125L,
            Instant.parse("2026-11-28T17:00:00Z"), "Asked to call back tomorrow afternoon");

    @Nested
    class ToString {

        @Test
        void leavesOutTheNotes() {
            assertThat(FULL.toString())
                    .doesNotContain("Asked to call back")
                    .contains("notes=<37 chars>");
        }

        @Test
        void masksThePhone() {
            assertThat(FULL.toString())
                    .doesNotContain("4155550134")
                    .contains("phone=+*********34");
        }

        @Test
        void keepsWhatIdentifiesTheCall() {
            assertThat(FULL.toString()).contains("callId=c-2026-11-27-000123", "recordId=00Q5f000004XyZaEAK",
                    "disposition=FOLLOW_UP_LATER", "campaignId=7015f000000AbCdAAK", "durationSeconds=125");
        }

        @Test
        void copesWithAbsentValues() {
            Disposition bare = new Disposition("c-1", null, null, null, null, null, null, null, null, null, null);

            assertThat(bare.toString()).contains("phone=null", "notes=null");
        }

        @ParameterizedTest
        @CsvSource({
            "+14155550134, +*********34",
            "+12, +**",
            "+1234567, +*****67",
            "4155550134, ********34",
        })
        void masksAllButTheLastTwoDigitsOfLongEnoughNumbers(String phone, String masked) {
            assertThat(Disposition.maskPhone(phone)).isEqualTo(masked);
        }
    }

    @Nested
    class Json {

        // Timestamps on by default, as a bare ObjectMapper has them: the record must still write RFC 3339 text.
        private final ObjectMapper mapper = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .enable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .build();

        @Test
        void writesInstantsAsTextAndLeavesOutAbsentValues() throws Exception {
            Disposition bare = new Disposition("c-1", "0035f000001AbCdAAK", DispositionCode.BUSY, null, null, null,
                    Instant.parse("2026-11-27T15:04:05Z"), null, null, null, null);

            assertThat(mapper.writeValueAsString(bare)).isEqualTo(
                    "{\"callId\":\"c-1\",\"recordId\":\"0035f000001AbCdAAK\",\"disposition\":\"BUSY\","
                            + "\"startedAt\":\"2026-11-27T15:04:05Z\"}");
        }

        @Test
        void roundTrips() throws Exception {
            assertThat(mapper.readValue(mapper.writeValueAsString(FULL), Disposition.class)).isEqualTo(FULL);
        }

        @Test
        void ignoresUnknownPropertiesWhenRead() throws Exception {
            Disposition read = mapper.readValue("{\"callId\":\"c-1\",\"future\":true}", Disposition.class);

            assertThat(read.callId()).isEqualTo("c-1");
        }
    }
}
