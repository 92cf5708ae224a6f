package io.dialerbridge.command;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applies the mapping rules to what an event says about one person, shared by the PushTopic and CDC mappers so the
 * two sources can never disagree.
 *
 * <p>Order of precedence: Do Not Call (or a suppress status) suppresses; converted (or a remove status) removes;
 * both can happen in one event, suppress first, because the suppression must survive the removal. Either one ends
 * the event: an upsert after them would make the person callable again. Only otherwise does the person get an
 * unsuppress (when Do Not Call is stated false and the event kind allows it) and then the upsert.
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
     * @param unsuppressWhenCleared whether an explicit {@code DoNotCall=false} means Salesforce cleared it
     */
    List<DialerCommand> commands(PersonChange person, EventOrigin origin, boolean fannedOut, boolean partial,
            boolean unsuppressWhenCleared) {
        EventCommands commands = new EventCommands(origin, person.recordId(), fannedOut);
        Optional<String> status = person.status();
        boolean ended = false;
        if (Boolean.TRUE.equals(person.doNotCall())) {
            suppress(commands, person, REASON_SALESFORCE_DNC, origin);
            ended = true;
        } else if (status.filter(rules::isSuppressStatus).isPresent()) {
            suppress(commands, person, REASON_STATUS, origin);
            ended = true;
        }
        if (Boolean.TRUE.equals(person.converted())) {
            remove(commands, person.recordId(), REASON_CONVERTED);
            ended = true;
        } else if (status.filter(rules::isRemoveStatus).isPresent()) {
            remove(commands, person.recordId(), REASON_STATUS);
            ended = true;
        }
        if (ended) {
            return commands.list();
        }
        if (unsuppressWhenCleared && Boolean.FALSE.equals(person.doNotCall())) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("recordId", person.recordId());
            data.put("reason", REASON_SALESFORCE_DNC);
            data.put("requestedAt", DialerCommand.rfc3339(origin.time()));
            commands.add(CommandType.CONTACT_UNSUPPRESS, person.recordId(), person.recordId(), data);
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

    private static void suppress(EventCommands commands, PersonChange person, String reason, EventOrigin origin) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("recordId", person.recordId());
        data.put("phones", person.dialablePhones());
        data.put("scope", SCOPE_CONTACT);
        data.put("reason", reason);
        data.put("requestedAt", DialerCommand.rfc3339(origin.time()));
        commands.add(CommandType.CONTACT_SUPPRESS, person.recordId(), person.recordId(), data);
    }

    static void remove(EventCommands commands, String personId, String reason) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("recordId", personId);
        data.put("reason", reason);
        commands.add(CommandType.CONTACT_REMOVE, personId, personId, data);
    }
}
