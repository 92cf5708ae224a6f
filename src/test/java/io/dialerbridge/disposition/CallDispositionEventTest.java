package io.dialerbridge.disposition;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class CallDispositionEventTest {

    private static final Disposition FULL = new Disposition("c-2026-11-27-000123", "00Q5f000004XyZaEAK",
            DispositionCode.FOLLOW_UP_LATER, "+14155550134", "7015f000000AbCdAAK", "agent-42",
            Instant.parse("2026-11-27T15:04:05Z"), Instant.parse("2026-11-27T15:06:10Z"), 125L,
            Instant.parse("2026-11-28T17:00:00Z"), "Asked to call back tomorrow afternoon");

    private static final Disposition BARE = new Disposition("c-1", "0035f000001AbCdAAK", DispositionCode.NO_ANSWER,
            null, null, null, null, null, null, null, null);

    @Nested
    class Fields {

        @Test
        void mapsEveryFieldWithExactValuesInOrder() {
            Map<String, Object> expected = new LinkedHashMap<>();
            expected.put("Call_Id__c", "c-2026-11-27-000123");
            expected.put("Record_Id__c", "00Q5f000004XyZaEAK");
            expected.put("Disposition__c", "FOLLOW_UP_LATER");
            expected.put("Phone__c", "+14155550134");
            expected.put("Campaign_Id__c", "7015f000000AbCdAAK");
            expected.put("Agent_Id__c", "agent-42");
            expected.put("Call_Started_At__c", "2026-11-27T15:04:05.000Z");
            expected.put("Call_Ended_At__c", "2026-11-27T15:06:10.000Z");
            expected.put("Duration_Seconds__c", 125L);
            expected.put("Callback_At__c", "2026-11-28T17:00:00.000Z");
            expected.put("Notes__c", "Asked to call back tomorrow afternoon");

            assertThat(CallDispositionEvent.fields(FULL)).containsExactlyEntriesOf(expected);
            assertThat(CallDispositionEvent.fields(FULL).keySet()).containsExactlyElementsOf(
                    CallDispositionEvent.FIELD_NAMES);
        }

        @Test
        void leavesOutAbsentValues() {
            assertThat(CallDispositionEvent.fields(BARE)).containsExactly(
                    Map.entry("Call_Id__c", "c-1"),
                    Map.entry("Record_Id__c", "0035f000001AbCdAAK"),
                    Map.entry("Disposition__c", "NO_ANSWER"));
        }

        @Test
        void keepsZeroDuration() {
            Disposition zero = new Disposition("c-1", "0035f000001AbCdAAK", DispositionCode.ABANDONED, null, null,
                    null, null, null, 0L, null, null);

            assertThat(CallDispositionEvent.fields(zero)).containsEntry("Duration_Seconds__c", 0L);
        }
    }

    @Nested
    class DateTimes {

        @Test
        void writesUtcWithMillisecondsAndZ() {
            assertThat(CallDispositionEvent.dateTime(Instant.parse("2026-11-27T15:04:05Z")))
                    .isEqualTo("2026-11-27T15:04:05.000Z");
        }

        @Test
        void keepsMilliseconds() {
            assertThat(CallDispositionEvent.dateTime(Instant.parse("2026-11-27T15:04:05.120Z")))
                    .isEqualTo("2026-11-27T15:04:05.120Z");
        }

        @Test
        void dropsPrecisionBeyondMillisecondsWithoutRounding() {
            assertThat(CallDispositionEvent.dateTime(Instant.parse("2026-11-27T15:04:05.999999Z")))
                    .isEqualTo("2026-11-27T15:04:05.999Z");
        }

        @Test
        void convertsOffsetsToUtc() throws Exception {
            Disposition validated = new DispositionValidator().validate(new ObjectMapper().readTree(
                    "{\"callId\":\"c-1\",\"recordId\":\"0035f000001AbCdAAK\",\"disposition\":\"BUSY\","
                            + "\"startedAt\":\"2026-11-27T17:04:05+02:00\"}")).value();

            assertThat(CallDispositionEvent.fields(validated))
                    .containsEntry("Call_Started_At__c", "2026-11-27T15:04:05.000Z");
        }
    }

    @Nested
    class SObject {

        @Test
        void putsAttributesFirstThenTheFields() {
            Map<String, Object> record = CallDispositionEvent.sObject(BARE);

            assertThat(record.keySet()).containsExactly("attributes", "Call_Id__c", "Record_Id__c", "Disposition__c");
            assertThat(record.get("attributes")).isEqualTo(Map.of("type", "Call_Disposition__e"));
        }

        @Test
        void serialisesAsSalesforceExpects() throws Exception {
            assertThat(new ObjectMapper().writeValueAsString(CallDispositionEvent.sObject(BARE))).isEqualTo(
                    "{\"attributes\":{\"type\":\"Call_Disposition__e\"},\"Call_Id__c\":\"c-1\","
                            + "\"Record_Id__c\":\"0035f000001AbCdAAK\",\"Disposition__c\":\"NO_ANSWER\"}");
        }
    }
}
