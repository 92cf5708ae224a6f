package io.dialerbridge.dnc;

import io.dialerbridge.emulator.data.SObjectType;
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
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import net.jqwik.api.AfterFailureMode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tag;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * A model-based test of Do Not Call safety: generated sequences of Salesforce changes, platform-event requests,
 * dispositions, gap and overflow events, bridge restarts, Kafka outages and expired replay ids run against the real
 * routes, the Salesforce emulator and a real embedded Kafka broker; after every step the commands that left the
 * bridge are judged against a reference model of who may be called ({@link DoNotCallModel}, {@link DoNotCallOracle}).
 *
 * <p>The universe is small on purpose, so that generated sequences collide: three people (Leads through the PushTopic,
 * Contacts through CDC), four numbers that move between them, two campaigns. Every sequence gets its own people,
 * numbers and campaigns, so sequences share one emulator, broker and bridge (started afresh every
 * {@value #SEQUENCES_PER_ENVIRONMENT} sequences or after anything broke it). jqwik prints the seed, shrinks a failing
 * sequence to a minimal one and, with {@code afterFailure = SAMPLE_FIRST}, tries the failing sample first next time.
 *
 * <p>Not in the default build yet (tag {@code dnc-model}, issue 10, Deliver 11): {@code ./mvnw -B verify -Pdnc-model}
 * runs the bounded check, {@code ./mvnw -B verify -Pdnc-soak} the soak (docs/dnc-model-test.md).
 */
class DoNotCallModelTest {

    static final int SEQUENCES_PER_ENVIRONMENT = 40;
    static final int PEOPLE = 3;
    static final int NUMBERS = 4;
    static final int CAMPAIGNS = 2;
    static final List<String> LEAD_STATUSES = List.of("Open - Not Contacted", "Working - Contacted", "Do Not Call",
            "Unqualified");

    /** Sequence length; the soak raises it with -Ddnc.model.max-steps. */
    static final int MAX_STEPS = Integer.getInteger("dnc.model.max-steps", 15);

    /** Every kind of action. */
    static final Set<Class<?>> ALL_ACTIONS = Set.of(Create.class, SetPhone.class, MoveNumber.class,
            SetDoNotCall.class, SetStatus.class, Edit.class, SuppressRecord.class, UnsuppressRecord.class,
            Disposition.class, JoinCampaign.class, LeaveCampaign.class, Delete.class, Undelete.class, Gap.class,
            Overflow.class, RestartBridge.class, KafkaOutage.class, ExpireReplayIds.class);

    /** What today's code handles already, for Leads with numbers of their own: see the basic property. */
    static final Set<Class<?>> BASIC_ACTIONS = Set.of(Create.class, SetPhone.class, SetDoNotCall.class, Edit.class);

    private static final AtomicInteger NUMBER_BLOCKS = new AtomicInteger();
    private static final AtomicLong SEQUENCES = new AtomicLong();
    private static final AtomicLong STEPS = new AtomicLong();
    private static final AtomicLong COMMANDS = new AtomicLong();
    private static final long STARTED = System.nanoTime();
    private static ModelBridge environment;

    @Tag("dnc-model")
    @Property(tries = 30, afterFailure = AfterFailureMode.SAMPLE_FIRST, edgeCases = EdgeCasesMode.NONE,
            shrinking = ShrinkingMode.BOUNDED)
    void noSequenceMakesASuppressedPersonOrNumberCallable(@ForAll("anySequence") List<ModelAction> actions)
            throws Exception {
        run(actions);
    }

    /**
     * The check can pass: Leads (whose PushTopic events carry the whole record), each with a number of their own,
     * created, edited, renumbered and marked Do Not Call and back. Before the issue-10 fixes (c6ebf46) this was all
     * that passed; each thing the full property adds found a violation there (docs/dnc-model-test.md).
     */
    @Tag("dnc-model")
    @Property(tries = 10, afterFailure = AfterFailureMode.SAMPLE_FIRST, edgeCases = EdgeCasesMode.NONE,
            shrinking = ShrinkingMode.BOUNDED)
    void leadsWithNumbersOfTheirOwnAndDoNotCallNeverBecomeCallableWhileSuppressed(
            @ForAll("basicSequence") List<ModelAction> actions) throws Exception {
        run(actions);
    }

    /** The soak: as many sequences as -Djqwik.tries.default says (the dnc-soak profile sets 10,000). */
    @Tag("dnc-soak")
    @Property(afterFailure = AfterFailureMode.SAMPLE_FIRST, edgeCases = EdgeCasesMode.NONE,
            shrinking = ShrinkingMode.BOUNDED)
    void soakNoSequenceMakesASuppressedPersonOrNumberCallable(@ForAll("anySequence") List<ModelAction> actions)
            throws Exception {
        run(actions);
    }

    @AfterContainer
    static void report() {
        System.out.printf("DoNotCallModelTest checked %d sequences, %d steps and %d commands in %d s%n",
                SEQUENCES.get(), STEPS.get(), COMMANDS.get(), (System.nanoTime() - STARTED) / 1_000_000_000L);
        if (environment != null) {
            environment.close();
            environment = null;
        }
    }

    // ---- generation ----------------------------------------------------------------------------------------

    @Provide
    Arbitrary<List<ModelAction>> anySequence() {
        return sequence(kinds(ALL_ACTIONS), leads(), Boolean.getBoolean("dnc.model.own-numbers"));
    }

    @Provide
    Arbitrary<List<ModelAction>> basicSequence() {
        return sequence(BASIC_ACTIONS, Arbitraries.just(true), true);
    }

    /**
     * -Ddnc.model.actions=Create,SetPhone,… narrows any sequence to these kinds (to isolate one finding);
     * -Ddnc.model.own-numbers=true gives every person a number of their own (no shared or moving numbers).
     */
    private static Set<Class<?>> kinds(Set<Class<?>> fallback) {
        String names = System.getProperty("dnc.model.actions", "");
        if (names.isBlank()) {
            return fallback;
        }
        Set<String> wanted = Arrays.stream(names.split(",")).map(String::strip).collect(Collectors.toSet());
        return fallback.stream().filter(kind -> wanted.contains(kind.getSimpleName())).collect(Collectors.toSet());
    }

    /** -Ddnc.model.people=leads or contacts narrows the people to one kind (both by default). */
    private static Arbitrary<Boolean> leads() {
        return switch (System.getProperty("dnc.model.people", "both")) {
            case "leads" -> Arbitraries.just(true);
            case "contacts" -> Arbitraries.just(false);
            default -> Arbitraries.of(false, true);
        };
    }

    /**
     * A few creates first, so that the random actions after them find people to act on, then up to
     * {@link #MAX_STEPS} actions of the given kinds (uniform lengths: jqwik favours short lists otherwise, and short
     * sequences find little). Shrinking shortens both parts.
     */
    private static Arbitrary<List<ModelAction>> sequence(Set<Class<?>> kinds, Arbitrary<Boolean> leads,
            boolean ownNumbers) {
        Arbitrary<List<ModelAction>> creates = kinds.contains(Create.class)
                ? createAction(leads).list().ofMinSize(1).ofMaxSize(PEOPLE)
                : Arbitraries.just(List.of());
        Arbitrary<List<ModelAction>> actions = action(kinds, leads, true).list().ofMinSize(1).ofMaxSize(MAX_STEPS)
                .withSizeDistribution(RandomDistribution.uniform());
        return Combinators.combine(creates, actions).as((first, then) -> {
            List<ModelAction> sequence = new ArrayList<>(first);
            sequence.addAll(then);
            return ownNumbers ? sequence.stream().map(DoNotCallModelTest::ownNumber).toList() : sequence;
        });
    }

    /**
     * The same action with every number it names replaced by the person's own (number index = person slot), which
     * every person has from their creation on.
     */
    private static ModelAction ownNumber(ModelAction action) {
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
            return new RestartBridge(restart.whileDown().stream().map(DoNotCallModelTest::ownNumber).toList());
        }
        if (action instanceof KafkaOutage outage) {
            return new KafkaOutage(outage.during().stream().map(DoNotCallModelTest::ownNumber).toList());
        }
        if (action instanceof ExpireReplayIds expire) {
            return new ExpireReplayIds(expire.whileDown().stream().map(DoNotCallModelTest::ownNumber).toList());
        }
        return action;
    }

    private static Arbitrary<ModelAction> createAction(Arbitrary<Boolean> leads) {
        Arbitrary<Integer> maybeNumber = Arbitraries.integers().between(0, NUMBERS - 1).injectNull(0.3);
        // mostly ordinary statuses: a person created suppressed or removed has little left to go wrong
        Arbitrary<String> status = Arbitraries.frequency(Tuple.of(5, LEAD_STATUSES.get(0)),
                Tuple.of(3, LEAD_STATUSES.get(1)), Tuple.of(1, LEAD_STATUSES.get(2)), Tuple.of(1, LEAD_STATUSES.get(3)));
        return Combinators.combine(Arbitraries.integers().between(0, PEOPLE - 1), leads, maybeNumber, maybeNumber,
                Arbitraries.of(false, false, false, true), status).as(Create::new);
    }

    private static Arbitrary<ModelAction> action(Set<Class<?>> kinds, Arbitrary<Boolean> leads, boolean compound) {
        Arbitrary<Integer> person = Arbitraries.integers().between(0, PEOPLE - 1);
        Arbitrary<Integer> number = Arbitraries.integers().between(0, NUMBERS - 1);
        Arbitrary<Integer> maybeNumber = number.injectNull(0.3);
        Arbitrary<String> field = Arbitraries.of(DoNotCallModel.PHONE_FIELDS);
        Arbitrary<String> status = Arbitraries.of(LEAD_STATUSES);
        Arbitrary<Integer> campaign = Arbitraries.integers().between(0, CAMPAIGNS - 1);
        Arbitrary<Boolean> bool = Arbitraries.of(false, true);
        Map<Class<?>, Tuple.Tuple2<Integer, Arbitrary<? extends ModelAction>>> choices = new LinkedHashMap<>();
        choices.put(Create.class, Tuple.of(1, createAction(leads)));
        choices.put(SetPhone.class, Tuple.of(4, Combinators.combine(person, field, maybeNumber).as(SetPhone::new)));
        choices.put(MoveNumber.class, Tuple.of(3, Combinators.combine(person, person, number).as(MoveNumber::new)));
        choices.put(SetDoNotCall.class, Tuple.of(4, Combinators.combine(person, bool).as(SetDoNotCall::new)));
        choices.put(SetStatus.class, Tuple.of(2, Combinators.combine(person, status).as(SetStatus::new)));
        choices.put(Edit.class, Tuple.of(2, person.map(Edit::new)));
        choices.put(SuppressRecord.class, Tuple.of(2, person.map(SuppressRecord::new)));
        choices.put(UnsuppressRecord.class, Tuple.of(2, person.map(UnsuppressRecord::new)));
        choices.put(Disposition.class, Tuple.of(2, Combinators.combine(person, number).as(Disposition::new)));
        choices.put(JoinCampaign.class, Tuple.of(3, Combinators.combine(person, campaign).as(JoinCampaign::new)));
        choices.put(LeaveCampaign.class, Tuple.of(2, Combinators.combine(person, campaign, bool)
                .as(LeaveCampaign::new)));
        choices.put(Delete.class, Tuple.of(1, person.map(Delete::new)));
        choices.put(Undelete.class, Tuple.of(1, person.map(Undelete::new)));
        choices.put(Gap.class, Tuple.of(1, person.map(Gap::new)));
        choices.put(Overflow.class, Tuple.of(1, Arbitraries.of("Contact", "CampaignMember").map(Overflow::new)));
        if (compound) {
            Arbitrary<List<ModelAction>> meanwhile = action(kinds.stream()
                    .filter(kind -> kind != Disposition.class).collect(Collectors.toSet()), leads, false)
                    .list().ofMaxSize(3);
            choices.put(RestartBridge.class, Tuple.of(1, meanwhile.map(RestartBridge::new)));
            choices.put(KafkaOutage.class, Tuple.of(1, meanwhile.map(KafkaOutage::new)));
            choices.put(ExpireReplayIds.class, Tuple.of(1, meanwhile.map(ExpireReplayIds::new)));
        }
        List<Tuple.Tuple2<Integer, Arbitrary<? extends ModelAction>>> frequencies = new ArrayList<>();
        choices.forEach((kind, choice) -> {
            if (kinds.contains(kind)) {
                frequencies.add(choice);
            }
        });
        @SuppressWarnings({"unchecked", "rawtypes"})
        Arbitrary<ModelAction> chosen = (Arbitrary) Arbitraries.frequencyOf(frequencies.toArray(Tuple.Tuple2[]::new));
        return chosen;
    }

    // ---- running ---------------------------------------------------------------------------------------------

    private static ModelBridge environment() throws Exception {
        if (environment != null && (!environment.healthy()
                || environment.sequences() >= SEQUENCES_PER_ENVIRONMENT)) {
            environment.close();
            environment = null;
        }
        if (environment == null) {
            environment = new ModelBridge().start();
        }
        return environment;
    }

    private void run(List<ModelAction> actions) throws Exception {
        ModelBridge bridge = environment();
        try {
            new SequenceRun(bridge, actions).run();
        } catch (AssertionError violation) {
            throw violation;
        } catch (Exception | Error broken) {
            // the environment may be half down (a broker stopped, a context closing): start afresh next time
            bridge.close();
            environment = null;
            throw broken;
        }
    }

    /** One generated sequence against the environment, with its own people, numbers and campaigns. */
    private static final class SequenceRun {
        private final ModelBridge bridge;
        private final List<ModelAction> actions;
        private final DoNotCallModel model;
        private final DoNotCallOracle oracle;
        private final List<String> executed = new ArrayList<>();
        private final Map<String, String> rawNumbers = new HashMap<>();
        private int edits;

        SequenceRun(ModelBridge bridge, List<ModelAction> actions) {
            this.bridge = bridge;
            this.actions = actions;
            int block = NUMBER_BLOCKS.getAndIncrement();
            List<String> numbers = new ArrayList<>();
            for (int i = 0; i < NUMBERS; i++) {
                int n = block * NUMBERS + i;
                String exchange = String.valueOf(220 + (n / 10_000) % 70);
                String line = String.format("%04d", n % 10_000);
                String e164 = "+1415" + exchange + line;
                numbers.add(e164);
                rawNumbers.put(e164, "(415) " + exchange + "-" + line);
            }
            List<String> campaigns = new ArrayList<>();
            for (int i = 0; i < CAMPAIGNS; i++) {
                campaigns.add(bridge.create(SObjectType.CAMPAIGN, Map.of("Name", "Model " + block + " C" + i)));
            }
            this.model = new DoNotCallModel(numbers, campaigns);
            this.oracle = new DoNotCallOracle(model);
        }

        void run() throws Exception {
            long started = System.nanoTime();
            bridge.sequenceStarted();
            SEQUENCES.incrementAndGet();
            // whatever earlier sequences left in the topics is not this sequence's business
            bridge.readAll(record -> { });
            for (int i = 0; i < actions.size(); i++) {
                ModelAction action = actions.get(i);
                boolean applied = perform(action);
                executed.add(String.format("%2d. %s%s", i + 1, action, applied ? "" : "   (skipped: does not apply)"));
                STEPS.incrementAndGet();
                bridge.quiesce();
                bridge.readAll(record -> oracle.onRecord(record, model.now()));
                oracle.checkStep(model.now());
                failOnViolations("after step " + (i + 1));
            }
            oracle.checkEnd(model.now());
            COMMANDS.addAndGet(oracle.commandsChecked());
            failOnViolations("at the end");
            System.out.printf("dnc-model: passed in %d ms, %d commands judged: %s%n",
                    (System.nanoTime() - started) / 1_000_000L, oracle.commandsChecked(), actions);
        }

        private void failOnViolations(String when) {
            if (oracle.violations().isEmpty()) {
                return;
            }
            COMMANDS.addAndGet(oracle.commandsChecked());
            StringBuilder message = new StringBuilder("Do Not Call violated ").append(when)
                    .append(" (jqwik prints the seed and the shrunk sequence below)\n  sequence run:");
            executed.forEach(line -> message.append("\n    ").append(line));
            message.append("\n  violations:");
            oracle.violations().forEach(line -> message.append("\n    ").append(line));
            message.append("\n  model:").append(model.describe());
            message.append("\n  dialer's view:");
            model.people().values().forEach(person -> message.append("\n    ").append(person.name()).append(": ")
                    .append(oracle.view().person(person.id).map(Object::toString).orElse("never heard of")));
            message.append("\n    suppressed numbers ").append(oracle.view().suppressedNumbers());
            throw new AssertionError(message.toString());
        }

        /** Runs one action, Salesforce side and model side; false when it does not apply. */
        private boolean perform(ModelAction action) throws Exception {
            if (action instanceof RestartBridge restart) {
                bridge.stopBridge();
                performAll(restart.whileDown());
                bridge.startBridge();
                bridge.markChannels();
                model.settle();
                return true;
            }
            if (action instanceof KafkaOutage outage) {
                bridge.stopKafka();
                performAll(outage.during());
                bridge.outlastDeliveryTimeout();
                bridge.startKafkaAgain();
                model.settle();
                return true;
            }
            if (action instanceof ExpireReplayIds expire) {
                bridge.stopBridge();
                performAll(expire.whileDown());
                bridge.purgeAllEvents();
                bridge.startBridge();
                bridge.markChannels();
                model.settle();
                return true;
            }
            long before = bridge.emulator().bus().lastReplayId();
            boolean applied = change(action);
            int step = model.settle();
            oracle.eventsOf(step, before, bridge.emulator().bus().lastReplayId());
            return applied;
        }

        private boolean performAll(List<ModelAction> meanwhile) throws Exception {
            boolean any = false;
            for (ModelAction action : meanwhile) {
                any |= perform(action);
            }
            return any;
        }

        /** A simple action: one change in Salesforce or one disposition, mirrored in the model. */
        private boolean change(ModelAction action) throws Exception {
            if (action instanceof Create create) {
                if (model.person(create.person()) != null) {
                    return false;
                }
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("LastName", "P" + create.person());
                fields.put("Email", "p" + create.person() + "@example.com");
                fields.put("DoNotCall", create.doNotCall());
                if (create.phone() != null) {
                    fields.put("Phone", raw(create.phone()));
                }
                if (create.mobile() != null) {
                    fields.put("MobilePhone", raw(create.mobile()));
                }
                if (create.lead()) {
                    fields.put("Company", "Model");
                    fields.put("Status", create.status());
                }
                String id = bridge.create(create.lead() ? SObjectType.LEAD : SObjectType.CONTACT, fields);
                DoNotCallModel.Person person = model.created(create.person(), id, create.lead());
                person.email = (String) fields.get("Email");
                person.doNotCall = create.doNotCall();
                person.status = create.lead() ? create.status() : null;
                if (create.phone() != null) {
                    person.phones.put("Phone", model.number(create.phone()));
                }
                if (create.mobile() != null) {
                    person.phones.put("MobilePhone", model.number(create.mobile()));
                }
                return true;
            }
            if (action instanceof SetPhone set) {
                DoNotCallModel.Person person = live(set.person());
                if (person == null) {
                    return false;
                }
                Map<String, Object> fields = new HashMap<>();
                fields.put(set.field(), set.number() == null ? null : raw(set.number()));
                bridge.update(type(person), person.id, fields);
                if (set.number() == null) {
                    person.phones.remove(set.field());
                } else {
                    person.phones.put(set.field(), model.number(set.number()));
                }
                return true;
            }
            if (action instanceof MoveNumber move) {
                DoNotCallModel.Person from = live(move.from());
                DoNotCallModel.Person to = live(move.to());
                String number = model.number(move.number());
                if (from == null || to == null || from == to || !from.phones.containsValue(number)) {
                    return false;
                }
                Map<String, Object> cleared = new HashMap<>();
                from.phones.forEach((phoneField, held) -> {
                    if (held.equals(number)) {
                        cleared.put(phoneField, null);
                    }
                });
                var transaction = bridge.emulator().records().begin(ModelBridge.USER, "test");
                transaction.update(type(from), from.id, cleared);
                transaction.update(type(to), to.id, Map.of("Phone", raw(move.number())));
                transaction.commit();
                cleared.keySet().forEach(from.phones::remove);
                to.phones.put("Phone", number);
                return true;
            }
            if (action instanceof SetDoNotCall set) {
                DoNotCallModel.Person person = live(set.person());
                if (person == null) {
                    return false;
                }
                bridge.update(type(person), person.id, Map.of("DoNotCall", set.value()));
                person.doNotCall = set.value();
                return true;
            }
            if (action instanceof SetStatus set) {
                DoNotCallModel.Person person = live(set.person());
                if (person == null || !person.lead) {
                    return false;
                }
                bridge.update(SObjectType.LEAD, person.id, Map.of("Status", set.status()));
                person.status = set.status();
                return true;
            }
            if (action instanceof Edit edit) {
                DoNotCallModel.Person person = live(edit.person());
                if (person == null) {
                    return false;
                }
                String email = "p" + edit.person() + "-" + (++edits) + "@example.com";
                bridge.update(type(person), person.id, Map.of("Email", email));
                person.email = email;
                return true;
            }
            if (action instanceof SuppressRecord suppress) {
                DoNotCallModel.Person person = model.person(suppress.person());
                if (person == null) {
                    return false;
                }
                bridge.publishDialerCommand("SUPPRESS_RECORD", person.id);
                person.requested = true;
                return true;
            }
            if (action instanceof UnsuppressRecord unsuppress) {
                DoNotCallModel.Person person = model.person(unsuppress.person());
                if (person == null) {
                    return false;
                }
                bridge.publishDialerCommand("UNSUPPRESS_RECORD", person.id);
                person.requested = false;
                return true;
            }
            if (action instanceof Disposition disposition) {
                DoNotCallModel.Person person = model.person(disposition.person());
                if (person == null) {
                    return false;
                }
                String number = model.number(disposition.number());
                String callId = bridge.postDoNotCall(person.id, number);
                person.dispositioned = true;
                model.dispositionNamed(number);
                oracle.dispositionOf(model.now() + 1, callId);
                return true;
            }
            if (action instanceof JoinCampaign join) {
                DoNotCallModel.Person person = live(join.person());
                if (person == null) {
                    return false;
                }
                String campaign = model.campaigns().get(join.campaign());
                String member = person.memberIds.get(campaign);
                if (member == null) {
                    member = bridge.create(SObjectType.CAMPAIGN_MEMBER, Map.of("CampaignId", campaign,
                            person.lead ? "LeadId" : "ContactId", person.id, "Status", "Sent"));
                    person.memberIds.put(campaign, member);
                    person.memberStatuses.put(campaign, "Sent");
                    return true;
                }
                if (person.activeCampaigns().contains(campaign)) {
                    return false;
                }
                bridge.update(SObjectType.CAMPAIGN_MEMBER, member, Map.of("Status", "Responded"));
                person.memberStatuses.put(campaign, "Responded");
                return true;
            }
            if (action instanceof LeaveCampaign leave) {
                DoNotCallModel.Person person = model.person(leave.person());
                String campaign = model.campaigns().get(leave.campaign());
                // Salesforce refuses to update a member whose person is deleted (a deleted reference)
                if (person == null || !person.activeCampaigns().contains(campaign)
                        || (!person.live && !leave.byDelete())) {
                    return false;
                }
                String member = person.memberIds.get(campaign);
                if (leave.byDelete()) {
                    bridge.delete(SObjectType.CAMPAIGN_MEMBER, member);
                    person.memberIds.remove(campaign);
                    person.memberStatuses.remove(campaign);
                } else {
                    bridge.update(SObjectType.CAMPAIGN_MEMBER, member, Map.of("Status", "Opted Out"));
                    person.memberStatuses.put(campaign, "Opted Out");
                }
                return true;
            }
            if (action instanceof Delete delete) {
                DoNotCallModel.Person person = live(delete.person());
                if (person == null) {
                    return false;
                }
                bridge.delete(type(person), person.id);
                person.live = false;
                return true;
            }
            if (action instanceof Undelete undelete) {
                DoNotCallModel.Person person = model.person(undelete.person());
                if (person == null || person.live) {
                    return false;
                }
                bridge.undelete(person.id);
                person.live = true;
                return true;
            }
            if (action instanceof Gap gap) {
                DoNotCallModel.Person person = model.person(gap.person());
                if (person == null || person.lead) {
                    return false;
                }
                bridge.gap(person.id);
                return true;
            }
            if (action instanceof Overflow overflow) {
                bridge.overflow(overflow.entity().equals("Contact") ? SObjectType.CONTACT
                        : SObjectType.CAMPAIGN_MEMBER);
                return true;
            }
            throw new IllegalArgumentException("not a simple action: " + action);
        }

        private DoNotCallModel.Person live(int slot) {
            DoNotCallModel.Person person = model.person(slot);
            return person == null || !person.live ? null : person;
        }

        private static SObjectType type(DoNotCallModel.Person person) {
            return person.lead ? SObjectType.LEAD : SObjectType.CONTACT;
        }

        private String raw(int number) {
            return rawNumbers.get(model.number(number));
        }
    }
}
