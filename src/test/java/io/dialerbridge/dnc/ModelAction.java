package io.dialerbridge.dnc;

import java.util.List;

/**
 * One step of a generated sequence, in the test's small universe: people are slots {@code P0…}, numbers are indexes
 * {@code N0…} into the sequence's own numbers, campaigns {@code C0…}. An action that does not apply (a change to a
 * person not yet created, an undelete of a live record) is skipped; shrinking removes it.
 */
sealed interface ModelAction {

    /** Whether this action may run while the bridge or Kafka is down (it only changes Salesforce). */
    default boolean salesforceOnly() {
        return true;
    }

    /** A Lead (PushTopic) or Contact (CDC) with up to two numbers. */
    record Create(int person, boolean lead, Integer phone, Integer mobile, boolean doNotCall, String status)
            implements ModelAction {
        @Override
        public String toString() {
            return "Create(P" + person + " " + (lead ? "Lead" : "Contact") + (phone == null ? "" : " Phone=N" + phone)
                    + (mobile == null ? "" : " MobilePhone=N" + mobile) + (doNotCall ? " DoNotCall" : "")
                    + (lead && status != null ? " Status=" + status : "") + ")";
        }
    }

    /** Sets ({@code number} non-null) or clears one phone field. */
    record SetPhone(int person, String field, Integer number) implements ModelAction {
        @Override
        public String toString() {
            return "SetPhone(P" + person + " " + field + "=" + (number == null ? "null" : "N" + number) + ")";
        }
    }

    /** Moves a number from one person to another in one Salesforce transaction. */
    record MoveNumber(int from, int to, int number) implements ModelAction {
        @Override
        public String toString() {
            return "MoveNumber(N" + number + " P" + from + "->P" + to + ")";
        }
    }

    record SetDoNotCall(int person, boolean value) implements ModelAction {
        @Override
        public String toString() {
            return "SetDoNotCall(P" + person + " " + value + ")";
        }
    }

    /** Lead status (Contacts have none: skipped). */
    record SetStatus(int person, String status) implements ModelAction {
        @Override
        public String toString() {
            return "SetStatus(P" + person + " " + status + ")";
        }
    }

    /** An edit that has nothing to do with calling: a new email. */
    record Edit(int person) implements ModelAction {
        @Override
        public String toString() {
            return "EditEmail(P" + person + ")";
        }
    }

    /** {@code Dialer_Command__e} {@code SUPPRESS_RECORD}. */
    record SuppressRecord(int person) implements ModelAction {
        @Override
        public String toString() {
            return "SUPPRESS_RECORD(P" + person + ")";
        }
    }

    /** {@code Dialer_Command__e} {@code UNSUPPRESS_RECORD}. */
    record UnsuppressRecord(int person) implements ModelAction {
        @Override
        public String toString() {
            return "UNSUPPRESS_RECORD(P" + person + ")";
        }
    }

    /** A DO_NOT_CALL disposition posted to the bridge's intake for the person and a number. */
    record Disposition(int person, int number) implements ModelAction {
        @Override
        public boolean salesforceOnly() {
            return false;
        }

        @Override
        public String toString() {
            return "DispositionDNC(P" + person + " N" + number + ")";
        }
    }

    record JoinCampaign(int person, int campaign) implements ModelAction {
        @Override
        public String toString() {
            return "JoinCampaign(P" + person + " C" + campaign + ")";
        }
    }

    /** Leaves by deleting the CampaignMember or by setting its status to Opted Out. */
    record LeaveCampaign(int person, int campaign, boolean byDelete) implements ModelAction {
        @Override
        public String toString() {
            return "LeaveCampaign(P" + person + " C" + campaign + (byDelete ? " delete" : " OptedOut") + ")";
        }
    }

    record Delete(int person) implements ModelAction {
        @Override
        public String toString() {
            return "Delete(P" + person + ")";
        }
    }

    record Undelete(int person) implements ModelAction {
        @Override
        public String toString() {
            return "Undelete(P" + person + ")";
        }
    }

    /** A CDC {@code GAP_UPDATE} for a Contact (the PushTopic has none: skipped for Leads). */
    record Gap(int person) implements ModelAction {
        @Override
        public String toString() {
            return "GapUpdate(P" + person + ")";
        }
    }

    /** A CDC {@code GAP_OVERFLOW} on Contact or CampaignMember. */
    record Overflow(String entity) implements ModelAction {
        @Override
        public String toString() {
            return "Overflow(" + entity + ")";
        }
    }

    /** Stop the bridge (its Spring context), change Salesforce meanwhile, start it again. */
    record RestartBridge(List<ModelAction> whileDown) implements ModelAction {
        @Override
        public boolean salesforceOnly() {
            return false;
        }

        @Override
        public String toString() {
            return "RestartBridge" + whileDown;
        }
    }

    /**
     * Stop the Kafka broker, change Salesforce meanwhile, keep it down longer than the producer's delivery timeout,
     * start it again on the same port and data.
     */
    record KafkaOutage(List<ModelAction> during) implements ModelAction {
        @Override
        public boolean salesforceOnly() {
            return false;
        }

        @Override
        public String toString() {
            return "KafkaOutage" + during;
        }
    }

    /**
     * Stop the bridge, change Salesforce meanwhile, let Salesforce forget every retained event (the bridge's replay
     * ids expire), start it again.
     */
    record ExpireReplayIds(List<ModelAction> whileDown) implements ModelAction {
        @Override
        public boolean salesforceOnly() {
            return false;
        }

        @Override
        public String toString() {
            return "ExpireReplayIds" + whileDown;
        }
    }
}
