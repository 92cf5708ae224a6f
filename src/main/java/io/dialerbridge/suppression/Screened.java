package io.dialerbridge.suppression;

import io.dialerbridge.command.DialerCommand;
import java.util.List;

/**
 * What the guard lets through for one event. It holds the commands that may leave, and the table rows to write
 * alongside them, suppression rows first ({@code OutboundRecords.records} turns all of it into Kafka records).
 *
 * @param commands           the commands that may leave, in order (a suppress may carry more numbers than mapped)
 * @param suppressionChanges rows of {@code dialer.suppressions}
 * @param numberChanges      rows of {@code dialer-bridge.person-numbers}
 */
public record Screened(List<DialerCommand> commands, List<SuppressionChange> suppressionChanges,
        List<PersonNumbersChange> numberChanges) {

    public Screened {
        commands = List.copyOf(commands);
        suppressionChanges = List.copyOf(suppressionChanges);
        numberChanges = List.copyOf(numberChanges);
    }

    public Screened(List<DialerCommand> commands, List<SuppressionChange> suppressionChanges) {
        this(commands, suppressionChanges, List.of());
    }
}
