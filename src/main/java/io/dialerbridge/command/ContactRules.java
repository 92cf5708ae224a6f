package io.dialerbridge.command;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applies the mapping rules to what an event says about one person, shared by the PushTopic and CDC mappers so the
 * two sources can never disagree.
 *
 * <p>Salesforce holds two of the reasons a person can be suppressed for (docs/dnc.md): {@code DoNotCall=true}
 * ({@code SALESFORCE_DNC}) and a Do Not Call status ({@code STATUS}). An event that states either true suppresses
 * with every reason it states true; an event that states one false (DoNotCall false, or a status that is not a
 * suppress status) lifts that reason, and only that one: the guard keeps the person suppressed while any other
 * reason remains, whoever set it.
 *
 * <p>Order of precedence: a suppress first, with right after it the lift of the reasons stated false (which can
 * then never make the person callable); then converted (or a remove status) removes. A suppress or a remove ends the
 * event: an upsert after them would make the person callable again. Only otherwise does the person get an
 * unsuppress for the reasons stated false (when the event kind allows it) and then the upsert. A remove alone lifts
 * nothing: a person on the way out stays suppressed. A remove hands the guard the phone fields the event states
 * ({@link DialerCommand#STATED_PHONES}), since no upsert will: a later suppress of the person must carry them; a
 * converted Lead's remove names the Contact it became ({@link DialerCommand#CONVERTED_TO}), whom the guard
 * suppresses for the Lead's reasons Salesforce does not carry over.
 */
final class ContactRules {

    static final String REASON_SALESFORCE_DNC = "SALESFORCE_DNC";
    static final String REASON_STATUS = "STATUS";
    static final String REASON_CONVERTED = "CONVERTED";
    static final String REASON_DELETED = "DELETED";
    static final String SCOPE_CONTACT = "CONTACT";

    private final MappingRules rules;

    ContactRules(MappingRules rules) {
        this.rules = rules;
    }

    /**
     * @param partial               whether the event carries only changes (a CDC UPDATE): no upsert when nothing the
     *                              dialer keeps changed, and the upsert lists {@code changedFields}
     * @param unsuppressWhenCleared whether a reason stated false means Salesforce cleared it (not for a record just
     *                              created, which cannot have been suppressed)
     */
    List<DialerCommand> commands(PersonChange person, EventOrigin origin, boolean fannedOut, boolean partial,
            boolean unsuppressWhenCleared) {
        EventCommands commands = new EventCommands(origin, person.recordId(), fannedOut);
        Optional<String> status = person.status();
        List<String> held = new ArrayList<>();
        List<String> cleared = new ArrayList<>();
        if (person.doNotCall() != null) {
            (person.doNotCall() ? held : cleared).add(REASON_SALESFORCE_DNC);
        }
        if (person.statesStatus()) {
            (status.filter(rules::isSuppressStatus).isPresent() ? held : cleared).add(REASON_STATUS);
        }
        boolean lift = unsuppressWhenCleared && !cleared.isEmpty();
        boolean ended = false;
        if (!held.isEmpty()) {
            suppress(commands, person, held, origin);
            if (lift) {
                // After the suppress, lifting the other reason can never make the person callable.
                unsuppress(commands, person.recordId(), cleared, origin);
            }
            ended = true;
        }
        if (Boolean.TRUE.equals(person.converted())) {
            remove(commands, person, REASON_CONVERTED);
            ended = true;
        } else if (status.filter(rules::isRemoveStatus).isPresent()) {
            remove(commands, person, REASON_STATUS);
            ended = true;
        }
        if (ended) {
            return commands.list();
        }
        if (lift) {
            unsuppress(commands, person.recordId(), cleared, origin);
        }
        if (!partial || !person.isEmpty()) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("recordId", person.recordId());
            data.put("recordType", person.recordType());
            data.putAll(person.values());
            if (partial) {
                data.put("changedFields", person.changedFields());
            }
            commands.add(CommandType.CONTACT_UPSERT, person.recordId(), person.recordId(), data);
        }
        return commands.list();
    }

    /** A person that is gone from Salesforce. */
    List<DialerCommand> removed(String personId, String reason, EventOrigin origin, boolean fannedOut) {
        EventCommands commands = new EventCommands(origin, personId, fannedOut);
        remove(commands, personId, reason);
        return commands.list();
    }

    /** {@code reason} is the contract's one reason (the first); {@code reasons} every reason the event states. */
    private static void suppress(EventCommands commands, PersonChange person, List<String> reasons,
            EventOrigin origin) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("recordId", person.recordId());
        data.put("phones", person.dialablePhones());
        data.put("scope", SCOPE_CONTACT);
        data.put("reason", reasons.get(0));
        data.put("reasons", List.copyOf(reasons));
        data.put("requestedAt", DialerCommand.rfc3339(origin.time()));
        commands.add(CommandType.CONTACT_SUPPRESS, person.recordId(), person.recordId(), data);
    }

    /** An unsuppress that lifts exactly these reasons; the guard lets it leave only when none other remains. */
    static void unsuppress(EventCommands commands, String personId, List<String> reasons, EventOrigin origin) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("recordId", personId);
        data.put("reason", reasons.get(0));
        data.put("reasons", List.copyOf(reasons));
        data.put("requestedAt", DialerCommand.rfc3339(origin.time()));
        commands.add(CommandType.CONTACT_UNSUPPRESS, personId, personId, data);
    }

    /** A remove that also hands the guard the phone fields the event states (stripped before it leaves). */
    private static void remove(EventCommands commands, PersonChange person, String reason) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("recordId", person.recordId());
        data.put("reason", reason);
        if (person.values().get("phones") instanceof Map<?, ?> phones) {
            data.put(DialerCommand.STATED_PHONES, phones);
        }
        if (REASON_CONVERTED.equals(reason) && person.convertedContactId() != null) {
            data.put(DialerCommand.CONVERTED_TO, person.convertedContactId());
        }
        commands.add(CommandType.CONTACT_REMOVE, person.recordId(), person.recordId(), data);
    }

    static void remove(EventCommands commands, String personId, String reason) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("recordId", personId);
        data.put("reason", reason);
        commands.add(CommandType.CONTACT_REMOVE, personId, personId, data);
    }
}
