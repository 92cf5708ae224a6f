package io.dialerbridge.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.dialerbridge.command.MappingException.Reason;
import io.dialerbridge.command.phone.PhoneNormalizer;

/**
 * Turns Change Data Capture events on Contact and Lead into contact commands, one list per record the event names.
 *
 * <p>CREATE and UNDELETE bodies leave out empty fields, so their upsert clears every contract field the body lacks;
 * an UNDELETE also unsuppresses when it states {@code DoNotCall=false}. UPDATE bodies carry only what changed, so
 * their upsert is a merge patch of just those fields, with {@code changedFields}, and an UPDATE that touches nothing
 * the dialer keeps (only {@code LastModifiedDate}, say) yields no command. Fields added by CDC enrichment look like
 * changes over CometD, so {@code DoNotCall}, {@code IsConverted} and {@code Status} must not be enriched.
 *
 * <p>Gap events carry no fields: {@link ChangeRecovery} refetches the records over REST and hands each one to
 * {@link #snapshotCommands}, or to {@link #goneCommands} when Salesforce no longer has it.
 */
public class ChangeEventMapper {

    private static final String GAP_PREFIX = "GAP_";
    private static final String GAP_OVERFLOW = "GAP_OVERFLOW";

    private final MappingRules rules;
    private final PhoneNormalizer phones;
    private final ContactRules contactRules;

    public ChangeEventMapper(MappingRules rules, PhoneNormalizer phones) {
        this.rules = rules;
        this.phones = phones;
        this.contactRules = new ContactRules(rules);
    }

    /** Whether the change type is a gap event, whose body is empty and whose records must be refetched. */
    public static boolean isGap(String changeType) {
        return changeType != null && changeType.startsWith(GAP_PREFIX);
    }

    /** Whether the change type is an overflow event, which names no usable record at all. */
    public static boolean isOverflow(String changeType) {
        return GAP_OVERFLOW.equals(changeType);
    }

    /** The commands for one CDC event, record by record in the order of its {@code recordIds}. */
    public List<DialerCommand> commands(ChangeEvent event) {
        String recordType = personType(event.entityName());
        List<DialerCommand> commands = new ArrayList<>();
        for (String recordId : event.recordIds()) {
            String personId = personId(recordId, recordType, "record id");
            commands.addAll(switch (event.changeType()) {
                case "CREATE" -> full(event.fields(), personId, recordType, event, false);
                case "UNDELETE" -> full(event.fields(), personId, recordType, event, true);
                case "UPDATE" -> contactRules.commands(
                        PersonChange.read(event.fields(), event.changedFields(), personId, recordType, false, rules,
                                phones),
                        event.origin(), event.fannedOut(), true, true);
                case "DELETE" -> contactRules.removed(personId, ContactRules.REASON_DELETED, event.origin(),
                        event.fannedOut());
                default -> throw new MappingException(Reason.UNSUPPORTED_EVENT, isGap(event.changeType())
                        ? event.changeType() + " carries no fields; the route must refetch " + event.recordIds()
                        : "unknown change type " + event.changeType());
            });
        }
        return commands;
    }

    /**
     * The commands for a full record read over REST, as for a CREATE, except that the record holds exactly the
     * queried fields with explicit nulls (so absent fields stay untouched) and that {@code DoNotCall=false}
     * unsuppresses: the gap may have hidden the update that cleared it.
     *
     * @param entityName the object name; when {@code null}, taken from the record's {@code attributes.type}
     * @param fannedOut  whether the gap event named several records
     */
    public List<DialerCommand> snapshotCommands(Map<String, Object> record, String entityName, boolean fannedOut,
            EventOrigin origin) {
        if (record == null) {
            throw new MappingException(Reason.MISSING_FIELD, "the refetched record is missing");
        }
        String entity = entityName != null ? entityName
                : record.get("attributes") instanceof Map<?, ?> attributes ? WireValues.text(attributes.get("type"))
                : null;
        String recordType = personType(entity);
        String personId = personId(record.get("Id"), recordType, "Id");
        PersonChange person = PersonChange.read(record, null, personId, recordType, false, rules, phones);
        return contactRules.commands(person, origin, fannedOut, false, true);
    }

    /** The dialable numbers (E.164, in phone-field order) of a person record read whole over REST. */
    public List<String> dialableNumbers(Map<String, Object> record, String entityName) {
        String recordType = personType(entityName);
        String personId = personId(record.get("Id"), recordType, "Id");
        return PersonChange.read(record, null, personId, recordType, false, rules, phones).dialablePhones();
    }

    /** A remove with reason {@code DELETED} for a record Salesforce no longer has. */
    public List<DialerCommand> goneCommands(String recordId, boolean fannedOut, EventOrigin origin) {
        return contactRules.removed(RecordIds.person(recordId, "record id"), ContactRules.REASON_DELETED, origin,
                fannedOut);
    }

    private List<DialerCommand> full(Map<String, Object> fields, String personId, String recordType,
            ChangeEvent event, boolean unsuppressWhenCleared) {
        PersonChange person = PersonChange.read(fields, null, personId, recordType, true, rules, phones);
        return contactRules.commands(person, event.origin(), event.fannedOut(), false, unsuppressWhenCleared);
    }

    private static String personType(String entityName) {
        if ("Lead".equals(entityName) || "Contact".equals(entityName)) {
            return entityName;
        }
        throw new MappingException(Reason.UNSUPPORTED_EVENT,
                "change events on " + entityName + " are not mapped here; expected Lead or Contact");
    }

    private static String personId(Object id, String recordType, String what) {
        String personId = RecordIds.person(id, what);
        if (!RecordIds.personType(personId).equals(recordType)) {
            throw new MappingException(Reason.INVALID_ID, what + " " + personId + " is not a " + recordType + " id");
        }
        return personId;
    }
}
