package io.dialerbridge.dnc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The model test's shrinker on fake properties over integers, no broker: it finds the minimal failing steps. */
class DeltaDebuggerTest {

    private static final Duration PLENTY = Duration.ofMinutes(1);

    /** Fails while the steps contain 3, 7 and 11, in that order, as a Do Not Call violation would. */
    private static void failsWithThreeSevenEleven(List<Integer> steps) {
        int three = steps.indexOf(3);
        int seven = steps.indexOf(7);
        int eleven = steps.indexOf(11);
        if (three >= 0 && three < seven && seven < eleven) {
            throw new AssertionError("3, 7, 11 in " + steps);
        }
    }

    @Nested
    class WithoutDependencies {

        private final DeltaDebugger<Integer> shrinker = new DeltaDebugger<>(step -> Set.of(), step -> Set.of(),
                PLENTY);

        @Test
        void aLongFailingSequenceShrinksToTheThreeStepsThatFail() {
            List<Integer> failing = IntStream.rangeClosed(0, 40).boxed().toList();

            DeltaDebugger.Result<Integer> result = shrinker.shrink(failing, new AssertionError("original"),
                    DeltaDebuggerTest::failsWithThreeSevenEleven);

            assertThat(result.minimal()).containsExactly(3, 7, 11);
            assertThat(result.failure()).isInstanceOf(AssertionError.class).hasMessage("3, 7, 11 in [3, 7, 11]");
            assertThat(result.stoppedByBudget()).isFalse();
        }

        @Test
        void aFailureOfAnotherKindDoesNotCountAsTheSameFailure() {
            List<Integer> failing = List.of(1, 2, 3);

            DeltaDebugger.Result<Integer> result = shrinker.shrink(failing, new AssertionError("original"), steps -> {
                if (steps.contains(1) && steps.contains(3)) {
                    if (steps.size() == 3) {
                        throw new AssertionError("violation");
                    }
                    throw new IllegalStateException("broken");
                }
            });

            assertThat(result.minimal()).containsExactly(1, 2, 3);
        }

        @Test
        void shrinkingStopsAtItsBudgetWithTheSmallestFailureSoFar() {
            List<Integer> failing = IntStream.rangeClosed(0, 40).boxed().toList();
            List<List<Integer>> runs = new ArrayList<>();
            DeltaDebugger<Integer> hurried = new DeltaDebugger<>(step -> Set.of(), step -> Set.of(), Duration.ZERO);

            DeltaDebugger.Result<Integer> result = hurried.shrink(failing, new AssertionError("original"),
                    runs::add);

            assertThat(result.stoppedByBudget()).isTrue();
            assertThat(result.minimal()).isEqualTo(failing);
            assertThat(runs).isEmpty();
        }
    }

    @Nested
    class WithCreatesFirst {

        /** A negative step creates person -n, a positive step acts on person n (as Create and SetPhone do). */
        private final DeltaDebugger<Integer> shrinker = new DeltaDebugger<>(
                step -> step < 0 ? Set.of(-step) : Set.of(), step -> step > 0 ? Set.of(step) : Set.of(), PLENTY);

        @Test
        void aStepKeepsTheCreateBeforeIt() {
            List<Integer> failing = List.of(-1, -3, -7, -11, -5, 1, 5, 3, 9, 7, 2, 11, 4);

            DeltaDebugger.Result<Integer> result = shrinker.shrink(failing, new AssertionError("original"),
                    DeltaDebuggerTest::failsWithThreeSevenEleven);

            assertThat(result.minimal()).containsExactly(-3, -7, -11, 3, 7, 11);
        }

        @Test
        void aStepWhoseCreateWasNeverThereNeedsNone() {
            List<Integer> failing = List.of(-3, 5, 3, 7, -9, 11);

            DeltaDebugger.Result<Integer> result = shrinker.shrink(failing, new AssertionError("original"),
                    DeltaDebuggerTest::failsWithThreeSevenEleven);

            assertThat(result.minimal()).containsExactly(-3, 3, 7, 11);
        }

        @Test
        void removingACreateKeepsItWhileALaterStepNeedsIt() {
            assertThat(shrinker.without(List.of(-1, -2, 1, 2), 0, 2)).containsExactly(-1, -2, 1, 2);
            assertThat(shrinker.without(List.of(-1, -2, 1, 2), 1, 4)).containsExactly(-1);
            assertThat(shrinker.without(List.of(-1, -1, 1), 0, 1)).containsExactly(-1, 1);
        }
    }
}
