package io.dialerbridge.disposition;

/** The outcome of one dialer call, as the dialer reports it and as Salesforce receives it in {@code Disposition__c}. */
public enum DispositionCode {
    INTERESTED,
    NOT_INTERESTED,
    DO_NOT_CALL,
    FOLLOW_UP_LATER,
    NO_ANSWER,
    BUSY,
    VOICEMAIL,
    WRONG_NUMBER,
    ANSWERING_MACHINE,
    INVALID_NUMBER,
    ABANDONED
}
