package io.dialerbridge.command;

import java.util.Locale;
import java.util.Optional;

/** How the dialer paces calls for a campaign, as {@code dialer.campaign.dialing-mode} names it. */
public enum DialingMode {
    PREVIEW, PROGRESSIVE, POWER, PREDICTIVE;

    /** The mode named by the text, ignoring case and surrounding blanks. */
    public static Optional<DialingMode> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String wanted = text.strip().toUpperCase(Locale.ROOT);
        for (DialingMode mode : values()) {
            if (mode.name().equals(wanted)) {
                return Optional.of(mode);
            }
        }
        return Optional.empty();
    }
}
