package io.dialerbridge.command.phone;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A phone as Salesforce holds it ({@code raw}) next to its E.164 form, which is {@code null} when the number could
 * not be read.
 */
public record NormalizedPhone(String e164, String raw) {

    public NormalizedPhone {
        Objects.requireNonNull(raw, "raw");
    }

    /** Whether libphonenumber found a valid number; when not, the dialer gets {@code e164: null}. */
    public boolean isNormalized() {
        return e164 != null;
    }

    /** The contract's JSON shape, {@code {"e164": …, "raw": …}}, with {@code e164} written even when null. */
    public Map<String, Object> toData() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("e164", e164);
        data.put("raw", raw);
        return Collections.unmodifiableMap(data);
    }
}
