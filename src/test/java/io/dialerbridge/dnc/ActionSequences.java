package io.dialerbridge.dnc;

import io.dialerbridge.dnc.ModelAction.Create;
import io.dialerbridge.dnc.ModelAction.Delete;
import io.dialerbridge.dnc.ModelAction.Disposition;
import io.dialerbridge.dnc.ModelAction.Edit;
import io.dialerbridge.dnc.ModelAction.ExpireReplayIds;
import io.dialerbridge.dnc.ModelAction.Gap;
import io.dialerbridge.dnc.ModelAction.JoinCampaign;
import io.dialerbridge.dnc.ModelAction.KafkaOutage;
import io.dialerbridge.dnc.ModelAction.LeaveCampaign;
import io.dialerbridge.dnc.ModelAction.MoveNumber;
import io.dialerbridge.dnc.ModelAction.Overflow;
import io.dialerbridge.dnc.ModelAction.RestartBridge;
import io.dialerbridge.dnc.ModelAction.SetDoNotCall;
import io.dialerbridge.dnc.ModelAction.SetPhone;
import io.dialerbridge.dnc.ModelAction.SetStatus;
import io.dialerbridge.dnc.ModelAction.SuppressRecord;
import io.dialerbridge.dnc.ModelAction.Undelete;
import io.dialerbridge.dnc.ModelAction.UnsuppressRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * Draws the model test's action sequences from a seeded {@link SplittableRandom}: one to {@code people} creates,
 * then one to {@code maxSteps} actions of the allowed kinds by fixed weights, so that one seed always gives the same
 * sequences.
 *
 * @param kinds the action kinds to draw (a Create among them also gives the creates first)
 * @param leads null for Leads or Contacts at random, else always Leads (true) or always Contacts (false)
 * @param ownNumbers every number an action names replaced by the person's own (number index = person slot)
 */
record ActionSequences(Set<Class<?>> kinds, Boolean leads, boolean ownNumbers, int maxSteps) {

    static final int PEOPLE = 3;
    static final int NUMBERS = 4;
    static final int CAMPAIGNS = 2;
    static final List<String> LEAD_STATUSES = List.of("Open - Not Contacted", "Working - Contacted", "Do Not Call",
            "Unqualified");
    /** The chance that an optional number (a create's phone or mobile, a phone set) is none. */
    static final double NO_NUMBER = 0.3;
    /** Compound actions (restart, outage, expiry) hold up to this many Salesforce changes. */
    static final int MAX_MEANWHILE = 3;

    /** Weights of the action kinds after the creates; the compound ones only at the top level. */
    static final Map<Class<?>, Integer> WEIGHTS = weights();

    private static Map<Class<?>, Integer> weights() {
        Map<Class<?>, Integer> weights = new LinkedHashMap<>();
        weights.put(Create.class, 1);
        weights.put(SetPhone.class, 4);
        weights.put(MoveNumber.class, 3);
        weights.put(SetDoNotCall.class, 4);
        weights.put(SetStatus.class, 2);
        weights.put(Edit.class, 2);
        weights.put(SuppressRecord.class, 2);
        weights.put(UnsuppressRecord.class, 2);
        weights.put(Disposition.class, 2);
        weights.put(JoinCampaign.class, 3);
        weights.put(LeaveCampaign.class, 2);
        weights.put(Delete.class, 1);
        weights.put(Undelete.class, 1);
        weights.put(Gap.class, 1);
        weights.put(Overflow.class, 1);
        weights.put(RestartBridge.class, 1);
        weights.put(KafkaOutage.class, 1);
        weights.put(ExpireReplayIds.class, 1);
        return Map.copyOf(weights);
    }

    private static final List<Class<?>> ORDER = List.of(Create.class, SetPhone.class, MoveNumber.class,
            SetDoNotCall.class, SetStatus.class, Edit.class, SuppressRecord.class, UnsuppressRecord.class,
            Disposition.class, JoinCampaign.class, LeaveCampaign.class, Delete.class, Undelete.class, Gap.class,
            Overflow.class, RestartBridge.class, KafkaOutage.class, ExpireReplayIds.class);
    private static final Set<Class<?>> COMPOUND = Set.of(RestartBridge.class, KafkaOutage.class,
            ExpireReplayIds.class);

    ActionSequences {
        kinds = Set.copyOf(kinds);
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("no action kinds to draw from (check -Ddnc.model.actions)");
        }
    }

    /** The next sequence: creates first (when Create is allowed), then uniformly 1 to maxSteps actions. */
    List<ModelAction> next(SplittableRandom random) {
        List<ModelAction> sequence = new ArrayList<>();
        if (kinds.contains(Create.class)) {
            int creates = random.nextInt(1, PEOPLE + 1);
            for (int i = 0; i < creates; i++) {
                sequence.add(create(random));
            }
        }
        int steps = random.nextInt(1, maxSteps + 1);
        for (int i = 0; i < steps; i++) {
            sequence.add(action(random, kinds, true));
        }
        return ownNumbers ? sequence.stream().map(ActionSequences::ownNumber).toList() : List.copyOf(sequence);
    }

    private Create create(SplittableRandom random) {
        int person = random.nextInt(PEOPLE);
        boolean lead = leads != null ? leads : random.nextBoolean();
        Integer phone = maybeNumber(random);
        Integer mobile = maybeNumber(random);
        boolean doNotCall = random.nextInt(4) == 0;
        // mostly ordinary statuses: a person created suppressed or removed has little left to go wrong
        int pick = random.nextInt(10);
        String status = LEAD_STATUSES.get(pick < 5 ? 0 : pick < 8 ? 1 : pick < 9 ? 2 : 3);
        return new Create(person, lead, phone, mobile, doNotCall, status);
    }

    private ModelAction action(SplittableRandom random, Set<Class<?>> allowed, boolean compound) {
        List<Class<?>> choices = ORDER.stream()
                .filter(kind -> allowed.contains(kind) && (compound || !COMPOUND.contains(kind))).toList();
        int total = choices.stream().mapToInt(WEIGHTS::get).sum();
        int pick = random.nextInt(total);
        Class<?> kind = choices.get(choices.size() - 1);
        for (Class<?> choice : choices) {
            pick -= WEIGHTS.get(choice);
            if (pick < 0) {
                kind = choice;
                break;
            }
        }
        if (kind == Create.class) {
            return create(random);
        }
        if (kind == SetPhone.class) {
            return new SetPhone(person(random), pickOne(random, DoNotCallModel.PHONE_FIELDS), maybeNumber(random));
        }
        if (kind == MoveNumber.class) {
            return new MoveNumber(person(random), person(random), random.nextInt(NUMBERS));
        }
        if (kind == SetDoNotCall.class) {
            return new SetDoNotCall(person(random), random.nextBoolean());
        }
        if (kind == SetStatus.class) {
            return new SetStatus(person(random), pickOne(random, LEAD_STATUSES));
        }
        if (kind == Edit.class) {
            return new Edit(person(random));
        }
        if (kind == SuppressRecord.class) {
            return new SuppressRecord(person(random));
        }
        if (kind == UnsuppressRecord.class) {
            return new UnsuppressRecord(person(random));
        }
        if (kind == Disposition.class) {
            return new Disposition(person(random), random.nextInt(NUMBERS));
        }
        if (kind == JoinCampaign.class) {
            return new JoinCampaign(person(random), random.nextInt(CAMPAIGNS));
        }
        if (kind == LeaveCampaign.class) {
            return new LeaveCampaign(person(random), random.nextInt(CAMPAIGNS), random.nextBoolean());
        }
        if (kind == Delete.class) {
            return new Delete(person(random));
        }
        if (kind == Undelete.class) {
            return new Undelete(person(random));
        }
        if (kind == Gap.class) {
            return new Gap(person(random));
        }
        if (kind == Overflow.class) {
            return new Overflow(random.nextBoolean() ? "CampaignMember" : "Contact");
        }
        List<ModelAction> meanwhile = meanwhile(random);
        if (kind == RestartBridge.class) {
            return new RestartBridge(meanwhile);
        }
        if (kind == KafkaOutage.class) {
            return new KafkaOutage(meanwhile);
        }
        return new ExpireReplayIds(meanwhile);
    }

    /** Zero to three simple actions of the allowed kinds but dispositions (the intake is part of the bridge). */
    private List<ModelAction> meanwhile(SplittableRandom random) {
        Set<Class<?>> allowed = kinds.stream().filter(kind -> kind != Disposition.class && !COMPOUND.contains(kind))
                .collect(Collectors.toSet());
        int count = allowed.isEmpty() ? 0 : random.nextInt(MAX_MEANWHILE + 1);
        List<ModelAction> actions = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            actions.add(action(random, allowed, false));
        }
        return List.copyOf(actions);
    }

    private static int person(SplittableRandom random) {
        return random.nextInt(PEOPLE);
    }

    private static Integer maybeNumber(SplittableRandom random) {
        return random.nextDouble() < NO_NUMBER ? null : random.nextInt(NUMBERS);
    }

    private static <T> T pickOne(SplittableRandom random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /**
     * The same action with every number it names replaced by the person's own (number index = person slot), which
     * every person has from their creation on.
     */
    static ModelAction ownNumber(ModelAction action) {
        if (action instanceof Create create) {
            // created with the number, so that it is the person's from the start, suppressed or not
            return new Create(create.person(), create.lead(), create.person(),
                    create.mobile() == null ? null : create.person(), create.doNotCall(), create.status());
        }
        if (action instanceof SetPhone set) {
            return new SetPhone(set.person(), set.field(), set.number() == null ? null : set.person());
        }
        if (action instanceof Disposition disposition) {
            return new Disposition(disposition.person(), disposition.person());
        }
        if (action instanceof RestartBridge restart) {
            return new RestartBridge(restart.whileDown().stream().map(ActionSequences::ownNumber).toList());
        }
        if (action instanceof KafkaOutage outage) {
            return new KafkaOutage(outage.during().stream().map(ActionSequences::ownNumber).toList());
        }
        if (action instanceof ExpireReplayIds expire) {
            return new ExpireReplayIds(expire.whileDown().stream().map(ActionSequences::ownNumber).toList());
        }
        return action;
    }

    /** The people an action creates (its own or those created inside a restart, outage or expiry). */
    static Set<Integer> creates(ModelAction action) {
        Set<Integer> people = new HashSet<>();
        if (action instanceof Create create) {
            people.add(create.person());
        }
        inner(action).forEach(step -> people.addAll(creates(step)));
        return people;
    }

    /** The people an action acts on other than by creating them; a shrunk sequence keeps a create before it. */
    static Set<Integer> actsOn(ModelAction action) {
        Set<Integer> people = new HashSet<>();
        if (action instanceof MoveNumber move) {
            people.add(move.from());
            people.add(move.to());
        } else if (!(action instanceof Create) && !(action instanceof Overflow) && inner(action).isEmpty()
                && !COMPOUND.contains(action.getClass())) {
            people.add(personOf(action));
        }
        inner(action).forEach(step -> people.addAll(actsOn(step)));
        return people;
    }

    private static int personOf(ModelAction action) {
        if (action instanceof SetPhone set) {
            return set.person();
        }
        if (action instanceof SetDoNotCall set) {
            return set.person();
        }
        if (action instanceof SetStatus set) {
            return set.person();
        }
        if (action instanceof Edit edit) {
            return edit.person();
        }
        if (action instanceof SuppressRecord suppress) {
            return suppress.person();
        }
        if (action instanceof UnsuppressRecord unsuppress) {
            return unsuppress.person();
        }
        if (action instanceof Disposition disposition) {
            return disposition.person();
        }
        if (action instanceof JoinCampaign join) {
            return join.person();
        }
        if (action instanceof LeaveCampaign leave) {
            return leave.person();
        }
        if (action instanceof Delete delete) {
            return delete.person();
        }
        if (action instanceof Undelete undelete) {
            return undelete.person();
        }
        if (action instanceof Gap gap) {
            return gap.person();
        }
        throw new IllegalArgumentException("acts on no one person: " + action);
    }

    private static List<ModelAction> inner(ModelAction action) {
        if (action instanceof RestartBridge restart) {
            return restart.whileDown();
        }
        if (action instanceof KafkaOutage outage) {
            return outage.during();
        }
        if (action instanceof ExpireReplayIds expire) {
            return expire.whileDown();
        }
        return List.of();
    }
}
