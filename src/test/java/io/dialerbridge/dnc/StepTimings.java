package io.dialerbridge.dnc;

import java.util.Map;
import java.util.TreeMap;

/**
 * Where a run's time goes: per action kind, how many steps and how long performing them took, and apart from that
 * the time spent waiting for the bridge (quiescing and reading its topics) and setting up. Printed as one table at
 * the end of a run. Thread-confined: the model test runs its steps on one thread.
 */
final class StepTimings {

    static final String WAITING = "(waiting for the bridge)";
    static final String SETUP = "(environment and sequence setup)";

    private final Map<String, long[]> byKind = new TreeMap<>();

    /** Adds one occurrence of {@code what} (an action kind, or {@link #WAITING}) that took {@code nanos}. */
    void add(String what, long nanos) {
        long[] entry = byKind.computeIfAbsent(what, k -> new long[2]);
        entry[0]++;
        entry[1] += nanos;
    }

    long count(String what) {
        long[] entry = byKind.get(what);
        return entry == null ? 0 : entry[0];
    }

    long nanos(String what) {
        long[] entry = byKind.get(what);
        return entry == null ? 0 : entry[1];
    }

    long totalNanos() {
        return byKind.values().stream().mapToLong(entry -> entry[1]).sum();
    }

    /** The table: one row per kind, largest total first, with the share of all measured time. */
    String table() {
        long total = Math.max(1, totalNanos());
        StringBuilder table = new StringBuilder(String.format("  %-34s %7s %9s %8s %6s%n", "where the time went",
                "count", "total s", "mean ms", "share"));
        byKind.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]))
                .forEach(entry -> table.append(String.format("  %-34s %7d %9.1f %8.0f %5.1f%%%n", entry.getKey(),
                        entry.getValue()[0], entry.getValue()[1] / 1e9,
                        entry.getValue()[1] / 1e6 / Math.max(1, entry.getValue()[0]),
                        100.0 * entry.getValue()[1] / total)));
        return table.toString();
    }
}
