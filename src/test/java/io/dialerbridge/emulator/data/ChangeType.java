package io.dialerbridge.emulator.data;

/** What happened to a record, in Change Data Capture's words. */
public enum ChangeType {
    CREATE, UPDATE, DELETE, UNDELETE
}
