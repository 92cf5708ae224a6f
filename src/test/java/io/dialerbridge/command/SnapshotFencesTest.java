package io.dialerbridge.command;

import static io.dialerbridge.command.EventFixtures.CONTACT;
import static io.dialerbridge.command.EventFixtures.CONTACT_2;
import static io.dialerbridge.command.EventFixtures.CONTACT_3;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Which events a resync's snapshot already holds, per channel and record, within a bounded memory. */
class SnapshotFencesTest {

    private static final String CHANNEL = "/data/ContactChangeEvent";
    private static final Instant SNAPSHOT = Instant.parse("2026-11-27T15:00:00Z");

    @Nested
    class PerRecord {

        private final SnapshotFences fences = new SnapshotFences(10);

        @Test
        void anEventNotNewerThanTheRecordsSnapshotIsSupersededANewerOneIsNot() {
            fences.begin(CHANNEL).record(CONTACT, SNAPSHOT);

            assertThat(fences.superseded(CHANNEL, CONTACT, SNAPSHOT.minusSeconds(5), false)).isTrue();
            assertThat(fences.superseded(CHANNEL, CONTACT, SNAPSHOT, false)).isTrue();
            assertThat(fences.superseded(CHANNEL, CONTACT, SNAPSHOT.plusMillis(1), false)).isFalse();
        }

        @Test
        void aRecordTheSnapshotDoesNotHoldAndOtherChannelsAreUntouched() {
            fences.begin(CHANNEL).record(CONTACT, SNAPSHOT);

            assertThat(fences.superseded(CHANNEL, CONTACT_2, SNAPSHOT.minusSeconds(5), false)).isFalse();
            assertThat(fences.superseded("/data/LeadChangeEvent", CONTACT, SNAPSHOT.minusSeconds(5), false))
                    .isFalse();
        }

        @Test
        void theFenceIsDroppedAtTheFirstEventNewerThanTheWholeSnapshot() {
            SnapshotFences.Fence fence = fences.begin(CHANNEL);
            fence.record(CONTACT, SNAPSHOT);
            fence.record(CONTACT_2, SNAPSHOT.minusSeconds(60));

            assertThat(fences.superseded(CHANNEL, CONTACT_3, SNAPSHOT.plusSeconds(1), false)).isFalse();

            // events come in commit order: nothing after that one can be older than the snapshot
            assertThat(fences.superseded(CHANNEL, CONTACT, SNAPSHOT.minusSeconds(5), false)).isFalse();
        }

        @Test
        void aNewResyncReplacesTheFence() {
            fences.begin(CHANNEL).record(CONTACT, SNAPSHOT);
            fences.begin(CHANNEL).record(CONTACT_2, SNAPSHOT);

            assertThat(fences.superseded(CHANNEL, CONTACT, SNAPSHOT.minusSeconds(5), false)).isFalse();
            assertThat(fences.superseded(CHANNEL, CONTACT_2, SNAPSHOT.minusSeconds(5), false)).isTrue();
        }
    }

    @Nested
    class Bounded {

        private final SnapshotFences fences = new SnapshotFences(1);

        @Test
        void recordsBeyondTheCapacityAreFencedByTheirNewestTimeExceptDeletes() {
            SnapshotFences.Fence fence = fences.begin(CHANNEL);
            fence.record(CONTACT, SNAPSHOT.minusSeconds(60));
            fence.record(CONTACT_2, SNAPSHOT);

            assertThat(fences.superseded(CHANNEL, CONTACT_3, SNAPSHOT.minusSeconds(1), false)).isTrue();
            // a record deleted for good is in no snapshot: its delete must still go out
            assertThat(fences.superseded(CHANNEL, CONTACT_3, SNAPSHOT.minusSeconds(1), true)).isFalse();
            // the record kept one by one keeps its own, older time
            assertThat(fences.superseded(CHANNEL, CONTACT, SNAPSHOT.minusSeconds(30), false)).isFalse();
        }
    }
}
