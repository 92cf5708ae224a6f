package io.dialerbridge.command;

import static io.dialerbridge.command.EventFixtures.ORG;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.apache.camel.component.salesforce.api.dto.PlatformEvent;

/**
 * Feeds the mappers events shaped as camel-salesforce delivers them (body plus loosely typed headers), so the mapper
 * tests can state inputs the way Salesforce and camel present them: replay ids as Integer or Long, record ids as a
 * list or an array, dates with {@code Z}, {@code +0000} or {@code +00:00}.
 */
final class CamelShapedInput {

    private CamelShapedInput() {
    }

    static List<DialerCommand> lead(LeadTopicMapper mapper, String eventType, Map<String, Object> sobject,
            Object replayId, Object createdDate, String channel) {
        return mapper.commands(eventType, sobject, origin(channel, replayId, createdDate,
                "header CamelSalesforceCreatedDate"));
    }

    static List<DialerCommand> control(CampaignControlParser parser, String payload, Object replayId,
            Object createdDate, String channel) {
        return List.of(parser.parse(payload, origin(channel, replayId, createdDate,
                "header CamelSalesforceCreatedDate")));
    }

    static List<DialerCommand> platformEvent(DialerCommandEventMapper mapper, PlatformEvent event, Object replayId,
            String channel) {
        return List.of(mapper.command(event, WireValues.channel(channel), WireValues.replayId(replayId)));
    }

    static List<DialerCommand> change(ChangeEventMapper mapper, Map<String, Object> body, String changeType,
            String entityName, Object recordIds, Object commitTimestamp, Object replayId, String channel) {
        return mapper.commands(changeEvent(body, changeType, entityName, recordIds, commitTimestamp, replayId,
                channel));
    }

    static List<DialerCommand> memberChange(CampaignMemberChangeMapper mapper, Map<String, Object> body,
            String changeType, String entityName, Object recordIds, Object commitTimestamp, Object replayId,
            String channel) {
        return mapper.commands(changeEvent(body, changeType, entityName, recordIds, commitTimestamp, replayId,
                channel));
    }

    /** A record refetched over REST because of a gap event, with the gap event's headers. */
    static List<DialerCommand> snapshot(ChangeEventMapper mapper, Map<String, Object> record, String entityName,
            Object recordIds, Object commitTimestamp, Object replayId, String channel) {
        return mapper.snapshotCommands(record, entityName, fannedOut(recordIds),
                origin(channel, replayId, commitTimestamp, "header CamelSalesforceCommitTimestamp"));
    }

    /** A record a gap event named that Salesforce no longer has. */
    static List<DialerCommand> recordGone(ChangeEventMapper mapper, String recordId, Object recordIds,
            Object commitTimestamp, Object replayId, String channel) {
        return mapper.goneCommands(recordId, fannedOut(recordIds),
                origin(channel, replayId, commitTimestamp, "header CamelSalesforceCommitTimestamp"));
    }

    private static ChangeEvent changeEvent(Map<String, Object> body, String changeType, String entityName,
            Object recordIds, Object commitTimestamp, Object replayId, String channel) {
        return new ChangeEvent(changeType, entityName, WireValues.strings(recordIds, "header CamelSalesforceRecordIds"),
                null, body, origin(channel, replayId, commitTimestamp, "header CamelSalesforceCommitTimestamp"));
    }

    private static EventOrigin origin(String channel, Object replayId, Object time, String what) {
        return new EventOrigin(ORG, WireValues.channel(channel), WireValues.replayId(replayId),
                WireValues.instant(time, what));
    }

    private static boolean fannedOut(Object recordIds) {
        return new LinkedHashSet<>(WireValues.strings(recordIds, "header CamelSalesforceRecordIds")).size() > 1;
    }
}
