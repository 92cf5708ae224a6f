package io.dialerbridge.dnc;

import io.dialerbridge.dnc.ModelAction.ExpireReplayIds;
import io.dialerbridge.dnc.ModelAction.KafkaOutage;
import io.dialerbridge.dnc.ModelAction.RestartBridge;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Runs several sequences at once in lanes that step in lockstep, no broker: in every round each busy lane takes its
 * next step. A lane's simple step (a change in Salesforce, a request, a disposition) is its own; a global step (a
 * bridge restart, a Kafka outage, expired replay ids) disrupts the one environment all lanes share, so the round
 * applies each kind drawn by any lane once, with the changes of every lane that drew it made while it lasts. Each
 * lane's {@linkplain Lane#experienced() experienced sequence} records what it went through: its own steps, and a
 * global step with no changes of its own for a disruption another lane drew. That sequence, run alone, is what a
 * failure in a lane replays and shrinks.
 */
final class Lockstep {

    /** The global kinds, in the order a round applies them. */
    static final List<Class<? extends ModelAction>> GLOBAL_KINDS = List.of(KafkaOutage.class, RestartBridge.class,
            ExpireReplayIds.class);

    /** One sequence in a lane: its number in the seed's draw, its steps, and what it went through so far. */
    static final class Lane {
        private final int index;
        private final int sequence;
        private final List<ModelAction> actions;
        private final List<ModelAction> experienced = new ArrayList<>();
        private int next;

        Lane(int index, int sequence, List<ModelAction> actions) {
            this.index = index;
            this.sequence = sequence;
            this.actions = List.copyOf(actions);
        }

        int index() {
            return index;
        }

        /** The sequence's place in the seed's draw (1-based), as {@code -Ddnc.model.sequence} names it. */
        int sequence() {
            return sequence;
        }

        List<ModelAction> actions() {
            return actions;
        }

        /** The steps this lane went through so far, disruptions drawn by other lanes included. */
        List<ModelAction> experienced() {
            return List.copyOf(experienced);
        }

        /** The steps it has not taken yet. */
        List<ModelAction> remaining() {
            return actions.subList(next, actions.size());
        }

        boolean done() {
            return next >= actions.size();
        }
    }

    /** One disruption of the shared environment: its kind and, per lane that drew it, the changes made meanwhile. */
    record Disruption(Class<? extends ModelAction> kind, SortedMap<Integer, List<ModelAction>> changes) {
        /** The step as the given lane went through it: with its own changes, or none when another lane drew it. */
        ModelAction asSeenBy(int lane) {
            return global(kind, changes.getOrDefault(lane, List.of()));
        }
    }

    /** One round: each busy lane's simple step (by lane), then the disruptions, then one wait for all lanes. */
    record Round(SortedMap<Integer, ModelAction> simple, List<Disruption> disruptions, List<Lane> lanes) {
        boolean restartsBridge() {
            return disruptions.stream().anyMatch(d -> d.kind() != KafkaOutage.class);
        }
    }

    private final Lane[] lanes;

    Lockstep(int lanes) {
        if (lanes < 1) {
            throw new IllegalArgumentException("at least one lane, not " + lanes);
        }
        this.lanes = new Lane[lanes];
    }

    int size() {
        return lanes.length;
    }

    boolean hasFreeLane() {
        for (Lane lane : lanes) {
            if (lane == null) {
                return true;
            }
        }
        return false;
    }

    boolean busy() {
        for (Lane lane : lanes) {
            if (lane != null) {
                return true;
            }
        }
        return false;
    }

    /** Puts a sequence in the lowest free lane. */
    Lane admit(int sequence, List<ModelAction> actions) {
        for (int i = 0; i < lanes.length; i++) {
            if (lanes[i] == null) {
                lanes[i] = new Lane(i, sequence, actions);
                return lanes[i];
            }
        }
        throw new IllegalStateException("no free lane");
    }

    List<Lane> busyLanes() {
        List<Lane> busy = new ArrayList<>();
        for (Lane lane : lanes) {
            if (lane != null) {
                busy.add(lane);
            }
        }
        return busy;
    }

    /** Takes every busy lane's next step and merges the global ones; each lane's experienced sequence grows. */
    Round nextRound() {
        Map<Integer, ModelAction> drawn = new LinkedHashMap<>();
        List<Lane> taking = new ArrayList<>();
        for (Lane lane : lanes) {
            if (lane != null && !lane.done()) {
                drawn.put(lane.index, lane.actions.get(lane.next++));
                taking.add(lane);
            }
        }
        Round round = merge(drawn, taking);
        for (Lane lane : taking) {
            ModelAction own = round.simple().get(lane.index);
            if (own != null) {
                lane.experienced.add(own);
            }
            round.disruptions().forEach(disruption -> lane.experienced.add(disruption.asSeenBy(lane.index)));
        }
        return round;
    }

    /** Frees the lanes whose sequences have taken their last step, and returns them. */
    List<Lane> releaseFinished() {
        List<Lane> finished = new ArrayList<>();
        for (int i = 0; i < lanes.length; i++) {
            if (lanes[i] != null && lanes[i].done()) {
                finished.add(lanes[i]);
                lanes[i] = null;
            }
        }
        return finished;
    }

    /** Frees every lane (after a failure). */
    void clear() {
        java.util.Arrays.fill(lanes, null);
    }

    /** One round from each lane's step: simple steps stay with their lane, each global kind is applied once. */
    static Round merge(Map<Integer, ModelAction> drawn, List<Lane> lanes) {
        SortedMap<Integer, ModelAction> simple = new TreeMap<>();
        Map<Class<? extends ModelAction>, SortedMap<Integer, List<ModelAction>>> global = new LinkedHashMap<>();
        drawn.forEach((lane, action) -> {
            if (isGlobal(action)) {
                global.computeIfAbsent(kindOf(action), kind -> new TreeMap<>()).put(lane, changesOf(action));
            } else {
                simple.put(lane, action);
            }
        });
        List<Disruption> disruptions = new ArrayList<>();
        for (Class<? extends ModelAction> kind : GLOBAL_KINDS) {
            if (global.containsKey(kind)) {
                disruptions.add(new Disruption(kind, global.get(kind)));
            }
        }
        return new Round(simple, List.copyOf(disruptions), List.copyOf(lanes));
    }

    static boolean isGlobal(ModelAction action) {
        return action instanceof RestartBridge || action instanceof KafkaOutage || action instanceof ExpireReplayIds;
    }

    private static Class<? extends ModelAction> kindOf(ModelAction action) {
        return action.getClass();
    }

    static List<ModelAction> changesOf(ModelAction action) {
        if (action instanceof RestartBridge restart) {
            return restart.whileDown();
        }
        if (action instanceof KafkaOutage outage) {
            return outage.during();
        }
        if (action instanceof ExpireReplayIds expire) {
            return expire.whileDown();
        }
        throw new IllegalArgumentException("not a global step: " + action);
    }

    static ModelAction global(Class<? extends ModelAction> kind, List<ModelAction> changes) {
        if (kind == RestartBridge.class) {
            return new RestartBridge(List.copyOf(changes));
        }
        if (kind == KafkaOutage.class) {
            return new KafkaOutage(List.copyOf(changes));
        }
        if (kind == ExpireReplayIds.class) {
            return new ExpireReplayIds(List.copyOf(changes));
        }
        throw new IllegalArgumentException("not a global kind: " + kind);
    }
}
