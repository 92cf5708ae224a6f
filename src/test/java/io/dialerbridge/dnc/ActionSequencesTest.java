package io.dialerbridge.dnc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The model test's generator, no broker: a seed gives the same sequences, shaped as the model test needs. */
class ActionSequencesTest {

    private static final ActionSequences ANY = new ActionSequences(DoNotCallModelIT.ALL_ACTIONS, null, false, 15);

    private static List<List<ModelAction>> draw(ActionSequences sequences, long seed, int count) {
        SplittableRandom random = new SplittableRandom(seed);
        return IntStream.range(0, count).mapToObj(i -> sequences.next(random)).toList();
    }

    @Test
    void aSeedGivesTheSameSequencesEveryTime() {
        assertThat(draw(ANY, 42, 50)).isEqualTo(draw(ANY, 42, 50));
        assertThat(draw(ANY, 42, 50)).isNotEqualTo(draw(ANY, 43, 50));
    }

    @Test
    void everySequenceStartsWithOneToThreeCreatesAndHasOneToMaxStepsMore() {
        for (List<ModelAction> sequence : draw(ANY, 7, 500)) {
            int creates = 0;
            while (creates < sequence.size() && sequence.get(creates) instanceof ModelAction.Create) {
                creates++;
            }
            assertThat(Math.min(creates, 3)).isBetween(1, 3);
            assertThat(sequence.size()).isBetween(2, 3 + 15);
        }
    }

    @Test
    void theActionsFilterNarrowsEveryStepAndCompoundStepsHoldNoDispositions() {
        ActionSequences narrow = new ActionSequences(Set.of(ModelAction.Create.class, ModelAction.SetDoNotCall.class,
                ModelAction.Disposition.class, ModelAction.KafkaOutage.class), false, false, 15);

        for (List<ModelAction> sequence : draw(narrow, 11, 300)) {
            for (ModelAction action : sequence) {
                assertThat(action).isInstanceOfAny(ModelAction.Create.class, ModelAction.SetDoNotCall.class,
                        ModelAction.Disposition.class, ModelAction.KafkaOutage.class);
                if (action instanceof ModelAction.KafkaOutage outage) {
                    assertThat(outage.during()).hasSizeLessThanOrEqualTo(3)
                            .allSatisfy(step -> assertThat(step).isInstanceOfAny(ModelAction.Create.class,
                                    ModelAction.SetDoNotCall.class));
                }
                if (action instanceof ModelAction.Create create) {
                    assertThat(create.lead()).isFalse();
                }
            }
        }
    }

    @Test
    void ownNumbersGiveEveryPersonTheNumberOfTheirSlot() {
        ActionSequences basic = new ActionSequences(DoNotCallModelIT.BASIC_ACTIONS, true, true, 15);

        for (List<ModelAction> sequence : draw(basic, 3, 300)) {
            for (ModelAction action : sequence) {
                if (action instanceof ModelAction.Create create) {
                    assertThat(create.phone()).isEqualTo(create.person());
                    assertThat(create.lead()).isTrue();
                }
                if (action instanceof ModelAction.SetPhone set && set.number() != null) {
                    assertThat(set.number()).isEqualTo(set.person());
                }
            }
        }
    }
}
