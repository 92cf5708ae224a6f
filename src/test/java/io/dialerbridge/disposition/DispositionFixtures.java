package io.dialerbridge.disposition;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.camel.component.salesforce.api.dto.RestError;
import org.apache.camel.component.salesforce.api.dto.SaveSObjectResult;

/** Dispositions, consumed records and Salesforce answers for the unit tests of the dispositions flow. */
final class DispositionFixtures {

    /** The contract's example person and campaign (valid 18-character ids). */
    static final String LEAD = "00Q5f000004XyZaEAK";
    static final String CAMPAIGN = "7015f000000AbCdAAK";

    private DispositionFixtures() {
    }

    static String json(String callId, String disposition) {
        return """
                {"callId": "%s", "recordId": "%s", "disposition": "%s", "phone": "+14155550134",
                 "campaignId": "%s", "startedAt": "2026-11-27T15:04:05Z", "endedAt": "2026-11-27T15:06:10Z",
                 "durationSeconds": 125, "callbackAt": "2026-11-28T17:00:00Z", "notes": "call back"}
                """.formatted(callId, LEAD, disposition, CAMPAIGN);
    }

    static ConsumedRecord record(int partition, long offset, String value) {
        return record(partition, offset, value, null);
    }

    static ConsumedRecord record(int partition, long offset, String value, KafkaManualCommit commit) {
        return new ConsumedRecord("dialer.dispositions", partition, offset, 1_700_000_000_000L,
                LEAD.getBytes(StandardCharsets.UTF_8), value == null ? null : value.getBytes(StandardCharsets.UTF_8),
                Map.of("trace-id", "t-1".getBytes(StandardCharsets.UTF_8)), commit);
    }

    static SaveSObjectResult success() {
        SaveSObjectResult result = new SaveSObjectResult();
        result.setSuccess(true);
        result.setId("e01xx0000000001AAA");
        result.setErrors(List.of());
        return result;
    }

    static SaveSObjectResult failure(String code, String... fields) {
        SaveSObjectResult result = new SaveSObjectResult();
        result.setSuccess(false);
        result.setErrors(List.of(new RestError(code, "refused: " + code, List.of(fields))));
        return result;
    }

    /** A manual commit handle that remembers being called. */
    static final class RecordingCommit implements KafkaManualCommit {
        final List<String> commits;
        final String name;

        RecordingCommit(List<String> commits, String name) {
            this.commits = commits;
            this.name = name;
        }

        static List<String> log() {
            return new ArrayList<>();
        }

        @Override
        public void commit() {
            commits.add(name);
        }
    }
}
