package io.dialerbridge.command;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Collects the commands one Salesforce event produces about one record and gives each its deterministic id. */
final class EventCommands {

    private final EventOrigin origin;
    private final String recordId;
    private final boolean fannedOut;
    private final List<DialerCommand> commands = new ArrayList<>();
    private final Set<CommandType> types = EnumSet.noneOf(CommandType.class);

    /**
     * @param recordId  the record the event names (for CampaignMember events the member id, not the person)
     * @param fannedOut whether the event names more than one record
     */
    EventCommands(EventOrigin origin, String recordId, boolean fannedOut) {
        this.origin = origin;
        this.recordId = recordId;
        this.fannedOut = fannedOut;
    }

    EventCommands add(CommandType type, String key, String subject, Map<String, Object> data) {
        // The id scheme relies on one command per type per record and event; a second would reuse an id.
        if (!types.add(type)) {
            throw new IllegalStateException("second " + type.ceType() + " for " + recordId + " from " + origin.eventId());
        }
        String id = origin.commandId(recordId, fannedOut, commands.size(), type);
        commands.add(new DialerCommand(type, key, id, origin.source(), subject, origin.time(), data));
        return this;
    }

    List<DialerCommand> list() {
        return List.copyOf(commands);
    }
}
