package io.dialerbridge.suppression;

import io.dialerbridge.command.DialerCommand;
import java.util.List;

/**
 * What the guard lets through for one event: the commands that may leave, and the suppression changes to write
 * alongside them.
 */
public record Screened(List<DialerCommand> commands, List<SuppressionChange> suppressionChanges) {
}
