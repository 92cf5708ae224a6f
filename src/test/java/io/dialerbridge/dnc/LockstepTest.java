package io.dialerbridge.dnc;

import static org.assertj.core.api.Assertions.assertThat;

import io.dialerbridge.dnc.ModelAction.Edit;
import io.dialerbridge.dnc.ModelAction.ExpireReplayIds;
import io.dialerbridge.dnc.ModelAction.KafkaOutage;
import io.dialerbridge.dnc.ModelAction.RestartBridge;
import io.dialerbridge.dnc.ModelAction.SetDoNotCall;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The soak's lanes, no broker: lockstep rounds, global steps applied once, what each lane went through. */
class LockstepTest {

    private static final ModelAction EDIT_0 = new Edit(0);
    private static final ModelAction EDIT_1 = new Edit(1);
    private static final ModelAction DNC_2 = new SetDoNotCall(2, true);

    @Test
    void everyBusyLaneTakesOneStepPerRoundAndAFinishedLaneIsFreedForTheNextSequence() {
        Lockstep lockstep = new Lockstep(2);
        Lockstep.Lane first = lockstep.admit(1, List.of(EDIT_0, EDIT_1, DNC_2));
        Lockstep.Lane second = lockstep.admit(2, List.of(EDIT_1));
        assertThat(lockstep.hasFreeLane()).isFalse();

        Lockstep.Round round = lockstep.nextRound();
        assertThat(round.simple()).containsEntry(0, EDIT_0).containsEntry(1, EDIT_1).hasSize(2);
        assertThat(round.disruptions()).isEmpty();
        assertThat(lockstep.releaseFinished()).containsExactly(second);
        assertThat(lockstep.hasFreeLane()).isTrue();

        Lockstep.Lane third = lockstep.admit(3, List.of(DNC_2));
        assertThat(third.index()).isEqualTo(1);
        assertThat(lockstep.nextRound().simple()).containsEntry(0, EDIT_1).containsEntry(1, DNC_2);
        assertThat(lockstep.releaseFinished()).containsExactly(third);
        assertThat(lockstep.nextRound().simple()).containsOnlyKeys(0);
        assertThat(lockstep.releaseFinished()).containsExactly(first);
        assertThat(lockstep.busy()).isFalse();
        assertThat(first.experienced()).isEqualTo(first.actions());
    }

    @Test
    void aGlobalStepDrawnByAnyLaneIsAppliedOnceWithTheChangesOfEveryLaneThatDrewIt() {
        Lockstep lockstep = new Lockstep(3);
        lockstep.admit(1, List.of(new RestartBridge(List.of(EDIT_0))));
        lockstep.admit(2, List.of(EDIT_1));
        lockstep.admit(3, List.of(new RestartBridge(List.of(DNC_2, EDIT_1))));

        Lockstep.Round round = lockstep.nextRound();

        assertThat(round.simple()).containsOnlyKeys(1);
        assertThat(round.disruptions()).hasSize(1);
        Lockstep.Disruption restart = round.disruptions().get(0);
        assertThat(restart.kind()).isEqualTo(RestartBridge.class);
        assertThat(restart.changes()).containsOnlyKeys(0, 2);
        assertThat(restart.changes().get(0)).containsExactly(EDIT_0);
        assertThat(restart.changes().get(2)).containsExactly(DNC_2, EDIT_1);
        assertThat(round.restartsBridge()).isTrue();
    }

    @Test
    void differentGlobalKindsInOneRoundAreEachAppliedOnceInAFixedOrder() {
        Lockstep.Round round = Lockstep.merge(new java.util.LinkedHashMap<>(java.util.Map.of(
                0, new ExpireReplayIds(List.of()),
                1, new KafkaOutage(List.of(EDIT_1)),
                2, new RestartBridge(List.of()),
                3, new KafkaOutage(List.of()))), List.of());

        assertThat(round.disruptions()).extracting(Lockstep.Disruption::kind)
                .containsExactly(KafkaOutage.class, RestartBridge.class, ExpireReplayIds.class);
        assertThat(round.disruptions().get(0).changes()).containsOnlyKeys(1, 3);
        assertThat(round.simple()).isEmpty();
    }

    @Test
    void aLaneGoesThroughAnotherLanesDisruptionWithoutChangesOfItsOwnAndThatIsWhatItReplaysAlone() {
        Lockstep lockstep = new Lockstep(2);
        Lockstep.Lane quiet = lockstep.admit(1, List.of(EDIT_0, DNC_2));
        Lockstep.Lane noisy = lockstep.admit(2, List.of(new KafkaOutage(List.of(EDIT_1)), EDIT_1));

        lockstep.nextRound();
        lockstep.nextRound();

        assertThat(quiet.experienced()).containsExactly(EDIT_0, new KafkaOutage(List.of()), DNC_2);
        assertThat(noisy.experienced()).containsExactly(new KafkaOutage(List.of(EDIT_1)), EDIT_1);
        assertThat(quiet.remaining()).isEmpty();
    }

    @Test
    void lanesTakeTheSeedsSequencesInTheOrderOfTheDrawSoASequenceNumberReplaysAlone() {
        ActionSequences any = new ActionSequences(DoNotCallModelIT.ALL_ACTIONS, null, false, 15);
        SplittableRandom alone = new SplittableRandom(99);
        List<List<ModelAction>> drawnAlone = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            drawnAlone.add(any.next(alone));
        }

        SplittableRandom random = new SplittableRandom(99);
        Lockstep lockstep = new Lockstep(8);
        List<Lockstep.Lane> admitted = new ArrayList<>();
        int drawn = 0;
        while (drawn < 40 || lockstep.busy()) {
            while (drawn < 40 && lockstep.hasFreeLane()) {
                drawn++;
                admitted.add(lockstep.admit(drawn, any.next(random)));
            }
            lockstep.nextRound();
            lockstep.releaseFinished();
        }

        assertThat(admitted).hasSize(40);
        for (Lockstep.Lane lane : admitted) {
            assertThat(lane.actions()).isEqualTo(drawnAlone.get(lane.sequence() - 1));
            // what it went through is its own sequence with, at most, other lanes' disruptions added
            int matched = 0;
            for (ModelAction step : lane.experienced()) {
                if (matched < lane.actions().size() && step.equals(lane.actions().get(matched))) {
                    matched++;
                } else {
                    assertThat(Lockstep.isGlobal(step) && Lockstep.changesOf(step).isEmpty()).as("%s", step).isTrue();
                }
            }
            assertThat(matched).isEqualTo(lane.actions().size());
        }
    }
}
