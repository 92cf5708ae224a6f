package io.dialerbridge.emulator.soql;

import java.util.Map;

/**
 * Reads a field from a record the way SOQL names it: case-insensitively, and through parent records for
 * relationship paths such as {@code Owner.Name}.
 */
final class RecordFields {

    private RecordFields() {
    }

    /** The value at the path, or null when the field or any parent on the way is absent. */
    static Object value(Map<String, ?> record, String path) {
        Object current = record;
        for (String name : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> fields)) {
                return null;
            }
            current = field(fields, name);
        }
        return current;
    }

    private static Object field(Map<?, ?> fields, String name) {
        if (fields.containsKey(name)) {
            return fields.get(name);
        }
        for (Map.Entry<?, ?> entry : fields.entrySet()) {
            if (entry.getKey() instanceof String key && key.equalsIgnoreCase(name)) {
                return entry.getValue();
            }
        }
        return null;
    }
}
