package io.dialerbridge.dnc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Shrinks a failing sequence by delta debugging (removing ever smaller chunks of steps, down to single steps, while
 * the sequence still fails the same way), never removing a step that provides what a kept later step needs.
 *
 * @param <T> a step of the sequence
 */
final class DeltaDebugger<T> {

    /** Runs one sequence; throws when it fails. */
    @FunctionalInterface
    interface Check<T> {
        void run(List<T> steps) throws Exception;
    }

    /** The smallest failing sequence found, how it failed, and what finding it cost. */
    record Result<T>(List<T> minimal, Throwable failure, int candidates, Duration took, boolean stoppedByBudget) {
    }

    private final Function<T, Set<?>> provides;
    private final Function<T, Set<?>> needs;
    private final Duration budget;

    /**
     * @param provides what a step provides to the steps after it (a create: the person it creates)
     * @param needs what a step needs some earlier step to provide, if the original sequence had such a step
     * @param budget shrinking stops after this long, with the smallest failing sequence found so far
     */
    DeltaDebugger(Function<T, Set<?>> provides, Function<T, Set<?>> needs, Duration budget) {
        this.provides = provides;
        this.needs = needs;
        this.budget = budget;
    }

    /** The 1-minimal failing subsequence of {@code failing}, which failed with {@code failure}, unless time ran out. */
    Result<T> shrink(List<T> failing, Throwable failure, Check<T> check) {
        long started = System.nanoTime();
        long deadline = started + budget.toNanos();
        List<T> current = List.copyOf(failing);
        Throwable lastFailure = failure;
        Set<List<T>> tried = new HashSet<>();
        int candidates = 0;
        boolean stopped = false;
        int chunks = 2;
        while (current.size() >= 2) {
            boolean reduced = false;
            for (int chunk = 0; chunk < chunks && !reduced; chunk++) {
                if (System.nanoTime() >= deadline) {
                    stopped = true;
                    break;
                }
                int from = current.size() * chunk / chunks;
                int to = current.size() * (chunk + 1) / chunks;
                List<T> candidate = without(current, from, to);
                if (candidate.size() == current.size() || !tried.add(candidate)) {
                    continue;
                }
                candidates++;
                Throwable outcome = outcome(check, candidate);
                if (outcome != null && outcome.getClass() == failure.getClass()) {
                    current = candidate;
                    lastFailure = outcome;
                    chunks = Math.max(chunks - 1, 2);
                    reduced = true;
                }
            }
            if (stopped) {
                break;
            }
            if (!reduced) {
                if (chunks >= current.size()) {
                    break;
                }
                chunks = Math.min(chunks * 2, current.size());
            }
        }
        return new Result<>(current, lastFailure, candidates, Duration.ofNanos(System.nanoTime() - started), stopped);
    }

    private static <T> Throwable outcome(Check<T> check, List<T> candidate) {
        try {
            check.run(candidate);
            return null;
        } catch (Throwable failed) {
            return failed;
        }
    }

    /**
     * The sequence without steps {@code from} to {@code to} (exclusive), except those removed steps that are the
     * earliest to provide what a kept later step needs and nothing kept before it provides.
     */
    List<T> without(List<T> steps, int from, int to) {
        boolean[] kept = new boolean[steps.size()];
        for (int i = 0; i < steps.size(); i++) {
            kept[i] = i < from || i >= to;
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int j = 0; j < steps.size(); j++) {
                if (!kept[j]) {
                    continue;
                }
                for (Object need : needs.apply(steps.get(j))) {
                    if (providedBefore(steps, kept, j, need)) {
                        continue;
                    }
                    for (int i = 0; i < j; i++) {
                        if (!kept[i] && provides.apply(steps.get(i)).contains(need)) {
                            kept[i] = true;
                            changed = true;
                            break;
                        }
                    }
                }
            }
        }
        List<T> result = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            if (kept[i]) {
                result.add(steps.get(i));
            }
        }
        return List.copyOf(result);
    }

    private boolean providedBefore(List<T> steps, boolean[] kept, int j, Object need) {
        for (int k = 0; k <= j; k++) {
            if (kept[k] && provides.apply(steps.get(k)).contains(need)) {
                return true;
            }
        }
        return false;
    }
}
