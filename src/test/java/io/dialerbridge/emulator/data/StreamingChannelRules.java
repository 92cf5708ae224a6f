package io.dialerbridge.emulator.data;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The checks Salesforce makes when a StreamingChannel is saved: its Name is the generic channel a client subscribes
 * to, so it must be a {@code /u/} path and unique (case-sensitively, as channel names are).
 */
public final class StreamingChannelRules implements RecordStore.RecordValidator {

    public static final int MAX_NAME_LENGTH = 80;
    private static final Pattern CHANNEL_NAME = Pattern.compile("/u/[A-Za-z0-9_/]+");

    private final RecordStore records;

    public StreamingChannelRules(RecordStore records) {
        this.records = records;
    }

    @Override
    public void validate(SObjectType type, Map<String, Object> record) {
        if (type != SObjectType.STREAMING_CHANNEL) {
            return;
        }
        String name = (String) record.get("Name");
        if (name == null) {
            return;
        }
        FieldLimits.maxLength("Name", name, MAX_NAME_LENGTH);
        if (!CHANNEL_NAME.matcher(name).matches()) {
            throw new SalesforceApiException(400, "FIELD_INTEGRITY_EXCEPTION",
                    "Streaming channel name must begin with /u/ and contain only letters, digits, '_' and '/': "
                            + name, List.of("Name"));
        }
        records.records(SObjectType.STREAMING_CHANNEL).stream()
                .filter(channel -> !channel.get("Id").equals(record.get("Id")))
                .filter(channel -> name.equals(channel.get("Name")))
                .findFirst()
                .ifPresent(channel -> {
                    throw FieldLimits.duplicate("Name", channel.get("Id"));
                });
    }
}
