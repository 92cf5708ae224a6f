package io.dialerbridge.command;

/** The Kafka topics a dialer command can be written to, with the contract's default topic names. */
public enum CommandTopic {

    CONTACT_COMMANDS("dialer.contact-commands"),
    CAMPAIGN_CONTROL("dialer.campaign-control");

    private final String defaultName;

    CommandTopic(String defaultName) {
        this.defaultName = defaultName;
    }

    /** The topic name when {@code application.yaml} does not rename it. */
    public String defaultName() {
        return defaultName;
    }
}
