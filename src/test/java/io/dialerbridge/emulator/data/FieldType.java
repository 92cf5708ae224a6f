package io.dialerbridge.emulator.data;

/** The Salesforce field types the emulated objects use; they decide how a JSON value is accepted and stored. */
public enum FieldType {
    ID, REFERENCE, STRING, EMAIL, PHONE, PICKLIST, TEXTAREA, BOOLEAN, DOUBLE, INTEGER, DATE, DATETIME, COMPOUND_NAME
}
