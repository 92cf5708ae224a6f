package io.dialerbridge.dnc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The run's time breakdown, no broker. */
class StepTimingsTest {

    @Test
    void theTableListsEachKindWithCountTotalAndShareLargestFirst() {
        StepTimings timings = new StepTimings();
        timings.add("Edit", 100_000_000L);
        timings.add("Edit", 300_000_000L);
        timings.add("RestartBridge", 3_600_000_000L);
        timings.add(StepTimings.WAITING, 1_000_000_000L);

        assertThat(timings.count("Edit")).isEqualTo(2);
        assertThat(timings.nanos("Edit")).isEqualTo(400_000_000L);
        assertThat(timings.totalNanos()).isEqualTo(5_000_000_000L);
        String[] rows = timings.table().split("\n");
        assertThat(rows).hasSize(4);
        assertThat(rows[1]).contains("RestartBridge").contains("1").contains("3.6").contains("72.0%");
        assertThat(rows[2]).contains(StepTimings.WAITING).contains("20.0%");
        assertThat(rows[3]).contains("Edit").contains("2").contains("0.4").contains("200").contains("8.0%");
    }
}
