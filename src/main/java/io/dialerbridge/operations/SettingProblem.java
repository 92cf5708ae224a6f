package io.dialerbridge.operations;

/**
 * One setting the bridge cannot start without, with what is wrong. It is named by the environment variable that sets it
 * and the property it maps to, and never holds the setting's value, so it can be printed safely.
 */
public record SettingProblem(String environmentVariable, String property, String problem) {

    /** One line for the startup failure message, e.g. {@code SALESFORCE_CLIENT_ID (camel.component...): not set}. */
    public String describe() {
        return environmentVariable + " (" + property + "): " + problem;
    }
}
