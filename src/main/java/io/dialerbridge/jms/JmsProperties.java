package io.dialerbridge.jms;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The settings of the contract over JMS ({@code dialer.jms.*}). It is off unless {@code enabled}; the connection
 * factory is Spring Boot's ({@code spring.artemis.*}) or any {@code jakarta.jms.ConnectionFactory} bean.
 */
@ConfigurationProperties("dialer.jms")
public class JmsProperties {

    private boolean enabled;
    private final Egress egress = new Egress();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Egress getEgress() {
        return egress;
    }

    /** Kafka contract topics forwarded to JMS destinations ({@code routes/jms-egress.camel.yaml}). */
    public static class Egress {

        private boolean enabled;
        private String groupId = "dialer-bridge-jms-egress";
        private final Destinations destinations = new Destinations();

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getGroupId() {
            return groupId;
        }

        public void setGroupId(String groupId) {
            this.groupId = groupId;
        }

        public Destinations getDestinations() {
            return destinations;
        }
    }

    /** A JMS destination per contract topic, written {@code queue:<name>} or {@code topic:<name>}. */
    public static class Destinations {

        private String contactCommands;
        private String campaignControl;
        private String suppressions;
        private String deadLetter;

        public String getContactCommands() {
            return contactCommands;
        }

        public void setContactCommands(String contactCommands) {
            this.contactCommands = contactCommands;
        }

        public String getCampaignControl() {
            return campaignControl;
        }

        public void setCampaignControl(String campaignControl) {
            this.campaignControl = campaignControl;
        }

        public String getSuppressions() {
            return suppressions;
        }

        public void setSuppressions(String suppressions) {
            this.suppressions = suppressions;
        }

        public String getDeadLetter() {
            return deadLetter;
        }

        public void setDeadLetter(String deadLetter) {
            this.deadLetter = deadLetter;
        }
    }
}
