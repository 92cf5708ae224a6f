package io.dialerbridge.command;

import io.dialerbridge.salesforce.RecoveryAbandonedException;
import io.dialerbridge.salesforce.SalesforceCallRetries;
import io.dialerbridge.salesforce.SalesforceRecords;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.camel.Body;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mapping step that restores the truth when a suppression lifts. While a person was suppressed the guard blocked
 * their upserts and campaign adds, so when an event's unsuppress is about to lift the person's last reason, this step
 * appends the person's current state, read once from Salesforce (a full upsert, or a suppress or remove if Salesforce
 * says so), and a {@code campaign-member.add} for each membership the bridge knows, after the event's own commands. The
 * same goes for anyone whose known number the lift frees. It runs before the guard screens, which still decides: if the
 * person is suppressed again by then, the appended commands are blocked like any other. When Salesforce itself shows
 * the lift overtaken (Do Not Call again, or the person gone or on the way out) the lift does not leave at all: see
 * {@link #overtaken}.
 *
 * <p>The appended commands keep the unsuppress's source and time; their ids are the unsuppress's id plus
 * {@code :restore:<person id>:<type suffix>}, or {@code :restore:<member id>} for a membership.
 *
 * <p>The same step gives a person's suppress numbers: one whose event carries none for a person the guard knows no
 * number of (a {@code SUPPRESS_RECORD}, a {@code DoNotCall}-only change of a person older than the bridge) would
 * suppress the person but none of their numbers, so the person is read once and the suppress carries their current
 * dialable numbers. A person Salesforce no longer has, or a read refused for good, suppresses with what is known.
 */
public class SuppressionLifts {

    private static final Logger LOG = LoggerFactory.getLogger(SuppressionLifts.class);
    /** The origin the snapshot mapping is given; its ids are replaced (see the class comment). */
    private static final String RESTORE = "restore";

    private final Function<DialerCommand, List<String>> restoredBy;
    private final Function<String, List<String>> numbersOf;
    private final SalesforceRecords records;
    private final MappingRules rules;
    private final ChangeEventMapper people;
    private final CampaignMembershipIndex memberships;
    private final SalesforceCallRetries retries;

    /**
     * @param restoredBy the guard's answer to "whom would this unsuppress make callable now" (the person first)
     * @param numbersOf  the guard's answer to "which numbers of this person do you know"
     */
    public SuppressionLifts(Function<DialerCommand, List<String>> restoredBy,
            Function<String, List<String>> numbersOf, SalesforceRecords records, MappingRules rules,
            ChangeEventMapper people, CampaignMembershipIndex memberships) {
        this(restoredBy, numbersOf, records, rules, people, memberships, SalesforceCallRetries.untilInterrupted());
    }

    /**
     * @param restoredBy the guard's answer to "whom would this unsuppress make callable now" (the person first)
     * @param numbersOf  the guard's answer to "which numbers of this person do you know"
     * @param retries    how a read that meets a transient Salesforce failure is repeated (holding the channel)
     */
    public SuppressionLifts(Function<DialerCommand, List<String>> restoredBy,
            Function<String, List<String>> numbersOf, SalesforceRecords records, MappingRules rules,
            ChangeEventMapper people, CampaignMembershipIndex memberships, SalesforceCallRetries retries) {
        this.restoredBy = restoredBy;
        this.numbersOf = numbersOf;
        this.records = records;
        this.rules = rules;
        this.people = people;
        this.memberships = memberships;
        this.retries = retries;
    }

    /** Route step after the mapper: the event's commands, then the restored state of whoever they make callable. */
    public List<DialerCommand> restore(@Body List<DialerCommand> commands) {
        List<DialerCommand> restored = new ArrayList<>();
        List<DialerCommand> appended = new ArrayList<>();
        Set<String> suppressed = new HashSet<>();
        Set<String> done = new HashSet<>();
        for (DialerCommand mapped : commands) {
            DialerCommand command = withNumbers(mapped);
            if (command.type() == CommandType.CONTACT_SUPPRESS) {
                suppressed.add(command.key());
            }
            // An unsuppress after a suppress of the same person in one event lifts another reason, never the last.
            List<String> people = command.type() != CommandType.CONTACT_UNSUPPRESS
                    || suppressed.contains(command.key()) ? List.of() : restoredBy.apply(command);
            if (people.isEmpty() || !done.add(people.get(0))) {
                restored.add(command);
                continue;
            }
            List<DialerCommand> state = currentState(people.get(0), command);
            if (state.stream().anyMatch(SuppressionLifts::endsCalling)) {
                restored.addAll(overtaken(command, state));
                continue;
            }
            restored.add(command);
            appended.addAll(state);
            for (String freed : people.subList(1, people.size())) {
                if (done.add(freed)) {
                    appended.addAll(currentState(freed, command));
                }
            }
        }
        restored.addAll(appended);
        return restored;
    }

    private static boolean endsCalling(DialerCommand command) {
        return command.type() == CommandType.CONTACT_SUPPRESS || command.type() == CommandType.CONTACT_REMOVE;
    }

    /**
     * The lift Salesforce has overtaken (it marks the person Do Not Call again, or the person is gone or on the way
     * out): the lift must not leave. In the unsuppress's place go Salesforce's suppress and, right after it, the
     * unsuppress narrowed to the reasons Salesforce does not hold (a swap: the suppress leaves a reason the narrowed
     * unsuppress cannot lift, so the guard screening both at once keeps the person and their numbers suppressed
     * whatever happened since this step); with no suppress (a remove only), or nothing left to lift, the
     * unsuppress is dropped and the reasons stay.
     */
    private static List<DialerCommand> overtaken(DialerCommand lift, List<DialerCommand> state) {
        List<DialerCommand> instead = new ArrayList<>();
        Set<String> held = new HashSet<>();
        int afterSuppress = 0;
        for (DialerCommand command : state) {
            instead.add(command);
            if (command.type() == CommandType.CONTACT_SUPPRESS) {
                held.addAll(reasonsOf(command));
                afterSuppress = instead.size();
            }
        }
        List<String> stillLifted = reasonsOf(lift).stream().filter(reason -> !held.contains(reason)).toList();
        if (!held.isEmpty() && !stillLifted.isEmpty()) {
            Map<String, Object> data = new LinkedHashMap<>(lift.data());
            data.put("reason", stillLifted.get(0));
            data.put("reasons", stillLifted);
            instead.add(afterSuppress, new DialerCommand(lift.type(), lift.key(), lift.id(), lift.source(),
                    lift.subject(), lift.time(), data));
        }
        LOG.info("Salesforce no longer has {} callable: {} does not lift it ({})", lift.key(), lift.id(),
                held.isEmpty() ? "removed" : "suppressed for " + held);
        return instead;
    }

    /** The reasons a command names, as the guard reads them: {@code reasons}, {@code reason}, else DoNotCall. */
    private static List<String> reasonsOf(DialerCommand command) {
        List<String> reasons = new ArrayList<>();
        if (command.data().get("reasons") instanceof List<?> listed) {
            listed.stream().filter(String.class::isInstance).map(String.class::cast).forEach(reasons::add);
        }
        if (command.data().get("reason") instanceof String reason && !reasons.contains(reason)) {
            reasons.add(reason);
        }
        return reasons.isEmpty() ? List.of(ContactRules.REASON_SALESFORCE_DNC) : reasons;
    }

    /** A person's suppress that would carry no number, with the person's current numbers read from Salesforce. */
    private DialerCommand withNumbers(DialerCommand command) {
        if (command.type() != CommandType.CONTACT_SUPPRESS || command.data().get("recordId") == null
                || !ContactRules.SCOPE_CONTACT.equals(command.data().get("scope"))
                || !(command.data().get("phones") instanceof List<?> phones) || !phones.isEmpty()
                || !numbersOf.apply(command.key()).isEmpty()) {
            return command;
        }
        String personId = command.key();
        Optional<List<String>> current;
        try {
            current = fetch(personId, command)
                    .map(record -> people.dialableNumbers(record, RecordIds.personType(personId)));
        } catch (RecoveryAbandonedException stopping) {
            throw stopping;
        } catch (RuntimeException refused) {
            // Never lose the suppress to a read that cannot succeed: it leaves with what is known.
            LOG.warn("Could not read the numbers of {} for suppress {}: {}; suppressing with the numbers known",
                    personId, command.id(), refused.getClass().getSimpleName());
            return command;
        }
        if (current.isEmpty() || current.get().isEmpty()) {
            return command;
        }
        Map<String, Object> data = new LinkedHashMap<>(command.data());
        data.put("phones", List.copyOf(current.get()));
        return new DialerCommand(command.type(), command.key(), command.id(), command.source(), command.subject(),
                command.time(), data);
    }

    /** The person read whole, once, waiting out transient failures on the channel's thread; empty when gone. */
    private Optional<Map<String, Object>> fetch(String personId, DialerCommand cause) {
        String entity = RecordIds.personType(personId);
        // the command's id starts with its channel: <channel>:<replay id>…
        String channel = cause.id().contains(":") ? cause.id().substring(0, cause.id().indexOf(':'))
                : cause.source();
        return retries.call(channel, "the " + entity + " " + personId,
                () -> records.fetch(entity, personId, PersonChange.queryFields(entity, rules)));
    }

    private List<DialerCommand> currentState(String personId, DialerCommand lift) {
        String entity = RecordIds.personType(personId);
        EventOrigin origin = new EventOrigin(RESTORE, "/" + RESTORE, 0, lift.time());
        Optional<Map<String, Object>> current = fetch(personId, lift);
        List<DialerCommand> state = new ArrayList<>();
        boolean callable = current.isPresent();
        List<DialerCommand> snapshot = current.isPresent()
                ? people.snapshotCommands(current.get(), entity, false, origin)
                : people.goneCommands(personId, false, origin);
        for (DialerCommand command : snapshot) {
            if (command.type() == CommandType.CONTACT_UNSUPPRESS) {
                continue;
            }
            callable &= command.type() == CommandType.CONTACT_UPSERT;
            state.add(new DialerCommand(command.type(), personId,
                    lift.id() + ":" + RESTORE + ":" + personId + ":" + command.type().idSuffix(), lift.source(),
                    personId, lift.time(), command.data()));
        }
        if (callable) {
            memberships.membershipsOf(personId).forEach((memberId, membership) -> {
                if (!rules.isCampaignMemberRemoveStatus(membership.status())) {
                    Map<String, Object> data = new LinkedHashMap<>();
                    data.put("recordId", personId);
                    data.put("campaignId", membership.campaignId());
                    data.put("memberStatus", membership.status());
                    state.add(new DialerCommand(CommandType.CAMPAIGN_MEMBER_ADD, personId,
                            lift.id() + ":" + RESTORE + ":" + memberId, lift.source(), personId, lift.time(), data));
                }
            });
        }
        return state;
    }
}
