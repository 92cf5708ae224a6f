package io.dialerbridge.command;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.dialerbridge.command.MappingException.Reason;
import io.dialerbridge.command.phone.PhoneNormalizer;

/**
 * Turns events of the {@code DialerLeads} PushTopic into contact commands.
 *
 * <p>A PushTopic event carries every field of the topic's query, a {@code null} for an empty one, but not which of
 * them changed. So every upsert is a full record (no {@code changedFields}), and an update with
 * {@code DoNotCall=false} is sent as an unsuppress before the upsert every time: the bridge cannot tell a cleared
 * flag from one that was never set. The suppression guard downstream drops an unsuppress for a record that is not
 * suppressed, so the repeats cost nothing. A {@code created} event never unsuppresses, since a new record cannot
 * have been suppressed by Salesforce.
 */
public class LeadTopicMapper {

    private final MappingRules rules;
    private final PhoneNormalizer phones;
    private final ContactRules contactRules;

    public LeadTopicMapper(MappingRules rules, PhoneNormalizer phones) {
        this.rules = rules;
        this.phones = phones;
        this.contactRules = new ContactRules(rules);
    }

    /**
     * The commands for one PushTopic event.
     *
     * @param eventType {@code created}, {@code updated}, {@code deleted} or {@code undeleted}
     * @param sobject   the selected fields of the record
     */
    public List<DialerCommand> commands(String eventType, Map<String, Object> sobject, EventOrigin origin) {
        if (sobject == null) {
            throw new MappingException(Reason.MISSING_FIELD, "the event has no sobject");
        }
        String personId = RecordIds.person(sobject.get("Id"), "Id");
        String type = eventType == null ? "" : eventType.strip().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "deleted" -> contactRules.removed(personId, ContactRules.REASON_DELETED, origin, false);
            case "created", "updated", "undeleted" -> {
                PersonChange person = PersonChange.read(sobject, null, personId, RecordIds.personType(personId), false,
                        rules, phones);
                yield contactRules.commands(person, origin, false, false, !type.equals("created"));
            }
            default -> throw new MappingException(Reason.UNSUPPORTED_EVENT,
                    "PushTopic event type must be created, updated, deleted or undeleted: " + eventType);
        };
    }
}
