package io.dialerbridge.dnc;

import io.dialerbridge.DialerView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Judges what left the bridge against the reference model: every command as it arrives, the dialer's view after
 * every step, and the view against Salesforce at the end.
 *
 * <p><b>When a command was sent.</b> Each command is dated by the model step that caused it, read from its
 * {@code ce_id}: {@code <channel>:<replayId>…} names the Salesforce event (each step records the replay ids its
 * changes produced), {@code disposition:<callId>} the disposition; a resync (negative replay id) or anything else
 * is dated by the step in which it arrived. On one person's partition the dialer reads commands in order, so a
 * command counts as sent at the latest date of any command before it on that person's partition: a command from an
 * earlier event that lands behind a later suppression is judged against the later state, which is exactly an
 * overtaken suppression.
 *
 * <p><b>Violations.</b> A command that makes a suppressed person or number callable: an upsert, an unsuppress or a
 * campaign-member add for a person the model suppresses at that time; an upsert carrying a suppressed number (as
 * {@code e164}); a campaign-member add for a person whose numbers in the dialer's view include a suppressed one.
 * After every step: no person the model suppresses is callable in the view, and no suppressed number is callable
 * for anyone in the view. At the end: everyone and every number the model suppresses is suppressed in the view, and
 * every fully callable person (see {@link DoNotCallModel}) is in the view exactly as in Salesforce (numbers, email,
 * campaign memberships), and nobody inactive is callable.
 */
final class DoNotCallOracle {

    /**
     * {@code -Ddnc.model.checks=safety} keeps only the checks of what left the bridge and of the view after every
     * step; {@code =view} adds the end's comparison of the view with Salesforce; the default, {@code all}, also
     * wants every suppressed number in {@code dialer.suppressions} at the end. Shrinking goes for the smallest
     * failure, and the end's checks would otherwise hide the graver ones.
     */
    private static final String CHECKS = System.getProperty("dnc.model.checks", "all");
    static final boolean END_VIEW_CHECKS = !CHECKS.equals("safety");
    static final boolean END_NUMBER_CHECKS = CHECKS.equals("all");

    private final DoNotCallModel model;
    private final DialerView view = new DialerView();
    private final Map<String, Integer> sentAt = new HashMap<>();
    private final List<long[]> replayRanges = new ArrayList<>();
    private final Map<String, Integer> callIds = new HashMap<>();
    private final List<String> violations = new ArrayList<>();
    private long commandsChecked;

    DoNotCallOracle(DoNotCallModel model) {
        this.model = model;
    }

    DialerView view() {
        return view;
    }

    /** The model step that the Salesforce events with replay ids in (after, upTo] came from. */
    void eventsOf(int step, long after, long upTo) {
        if (upTo > after) {
            replayRanges.add(new long[] {after, upTo, step});
        }
    }

    void dispositionOf(int step, String callId) {
        callIds.put(callId, step);
    }

    long commandsChecked() {
        return commandsChecked;
    }

    List<String> violations() {
        return violations;
    }

    /** Folds one record into the view and judges it if it is a command about one of the sequence's people. */
    void onRecord(ConsumerRecord<String, String> record, int arrivedIn) {
        view.apply(record).ifPresent(command -> judge(command, arrivedIn));
    }

    private void judge(DialerView.Command command, int arrivedIn) {
        String person = command.key();
        if (!model.isPerson(person)) {
            return;
        }
        commandsChecked++;
        int step = sentAt.merge(person, stepOf(command.id(), arrivedIn), Math::max);
        DoNotCallModel.Snapshot then = model.at(step);
        String who = model.byId(person).name();
        switch (String.valueOf(command.type())) {
            case "dialer.contact.upsert" -> {
                if (then.isSuppressed(person)) {
                    violation(step, "an upsert for " + who + ", suppressed for " + then.suppressedPeople().get(person),
                            command);
                } else {
                    for (String number : upsertNumbers(command)) {
                        if (then.isNumberSuppressed(number)) {
                            violation(step, "an upsert for " + who + " carrying the suppressed number "
                                    + label(number), command);
                        }
                    }
                }
            }
            case "dialer.contact.unsuppress" -> {
                if (then.isSuppressed(person)) {
                    violation(step, "an unsuppress for " + who + ", still suppressed for "
                            + then.suppressedPeople().get(person), command);
                }
            }
            case "dialer.campaign-member.add" -> {
                if (then.isSuppressed(person)) {
                    violation(step, "a campaign-member add for " + who + ", suppressed for "
                            + then.suppressedPeople().get(person), command);
                } else {
                    Set<String> numbers = view.person(person).map(DialerView.Person::numbers).orElse(Set.of());
                    for (String number : numbers) {
                        if (then.isNumberSuppressed(number)) {
                            violation(step, "a campaign-member add for " + who + ", who has the suppressed number "
                                    + label(number) + " in the dialer", command);
                        }
                    }
                }
            }
            default -> {
                // suppress, remove, campaign-member remove: they never make anyone callable
            }
        }
    }

    /** After a step has quiesced: nobody suppressed is callable, no suppressed number is callable for anyone. */
    void checkStep(int step) {
        DoNotCallModel.Snapshot now = model.current();
        for (DoNotCallModel.Person person : model.people().values()) {
            if (now.isSuppressed(person.id) && view.isCallable(person.id)) {
                violation(step, person.name() + " is suppressed for " + now.suppressedPeople().get(person.id)
                        + " but callable in the dialer's view: " + view.person(person.id).orElseThrow(), null);
            }
        }
        for (String number : now.suppressedNumbers()) {
            for (String holder : view.people().keySet()) {
                if (view.callableNumbers(holder).contains(number)) {
                    violation(step, "the suppressed number " + label(number) + " is callable for "
                            + (model.isPerson(holder) ? model.byId(holder).name() : holder) + " in the dialer's view",
                            null);
                }
            }
        }
    }

    /** At the end: suppressions are all in the view, and the fully callable are as Salesforce has them. */
    void checkEnd(int step) {
        if (!END_VIEW_CHECKS) {
            return;
        }
        DoNotCallModel.Snapshot now = model.current();
        for (DoNotCallModel.Person person : model.people().values()) {
            if (now.isSuppressed(person.id)) {
                if (!view.isSuppressed(person.id)) {
                    violation(step, "at the end " + person.name() + " is suppressed for "
                            + now.suppressedPeople().get(person.id) + " but not in the dialer's view: "
                            + view.person(person.id).map(Object::toString).orElse("never heard of"), null);
                }
            } else if (model.isFullyCallable(person)) {
                DialerView.Person seen = view.person(person.id).orElse(null);
                Map<String, String> phones = new LinkedHashMap<>(person.phones);
                if (seen == null || !view.isCallable(person.id) || !phones.equals(seen.phones())
                        || !Objects.equals(person.email, seen.fields().get("email"))
                        || !person.activeCampaigns().equals(new java.util.TreeSet<>(seen.campaigns()))) {
                    violation(step, "at the end the dialer's view of " + person.name() + " differs from Salesforce:"
                            + " Salesforce phones " + phones + " email " + person.email + " campaigns "
                            + person.activeCampaigns() + "; dialer "
                            + (seen == null ? "never heard of" : seen), null);
                }
            } else if (!person.active() && view.isCallable(person.id)) {
                violation(step, "at the end " + person.name() + " is " + (person.live ? "in a removing status"
                        : "deleted") + " but callable in the dialer's view", null);
            }
        }
        for (String number : END_NUMBER_CHECKS ? now.suppressedNumbers() : Set.<String>of()) {
            if (!view.isNumberSuppressed(number)) {
                violation(step, "at the end the number " + label(number) + " is suppressed but not in "
                        + "dialer.suppressions", null);
            }
        }
    }

    private int stepOf(String ceId, int arrivedIn) {
        if (ceId == null) {
            return arrivedIn;
        }
        if (ceId.startsWith("disposition:")) {
            return callIds.getOrDefault(ceId.substring("disposition:".length()), arrivedIn);
        }
        String[] parts = ceId.split(":");
        if (parts.length < 2) {
            return arrivedIn;
        }
        long replayId;
        try {
            replayId = Long.parseLong(parts[1]);
        } catch (NumberFormatException e) {
            return arrivedIn;
        }
        for (long[] range : replayRanges) {
            if (replayId > range[0] && replayId <= range[1]) {
                return (int) range[2];
            }
        }
        return arrivedIn;
    }

    @SuppressWarnings("unchecked")
    private static Set<String> upsertNumbers(DialerView.Command command) {
        Set<String> numbers = new LinkedHashSet<>();
        if (command.data().get("phones") instanceof Map<?, ?> phones) {
            for (Object phone : phones.values()) {
                if (phone instanceof Map<?, ?> value && value.get("e164") instanceof String e164) {
                    numbers.add(e164);
                }
            }
        }
        return numbers;
    }

    private String label(String e164) {
        int index = model.numbers().indexOf(e164);
        return index < 0 ? e164 : "N" + index + " " + e164;
    }

    private void violation(int step, String what, DialerView.Command command) {
        violations.add("[model step " + step + "] " + what + (command == null ? "" : "\n        command: " + command));
    }
}
