package io.dialerbridge.command;

import java.util.LinkedHashMap;
import java.util.Map;

/** Ids and map builders for mapper tests, shaped like what camel-salesforce delivers. */
public final class EventFixtures {

    public static final String ORG = "00D000000000001AAA";

    public static final String LEAD = "00Q5f000004XyZaEAK";
    public static final String LEAD_15 = "00Q5f000004XyZa";
    public static final String LEAD_2 = "00Q5f000004XyZbEAK";
    public static final String CONTACT = "0035f00000AbCdEAAV";
    public static final String CONTACT_2 = "0035f00000AbCdFAAV";
    public static final String CONTACT_3 = "0035f00000AbCdGAAV";
    public static final String CAMPAIGN = "7015f000000AbCdAAK";
    public static final String CAMPAIGN_15 = "7015f000000AbCd";
    public static final String MEMBER = "00v5f00000Q1w2EAAR";
    public static final String MEMBER_2 = "00v5f00000Q1w2FAAR";
    public static final String MEMBER_3 = "00v5f00000Q1w2GAAR";
    public static final String USER = "005D0000001cSZsIAM";
    public static final String USER_15 = "005D0000001cSZs";

    private EventFixtures() {
    }

    /** An ordered map that, unlike {@code Map.of}, keeps {@code null} values, as JSON bodies do. */
    public static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /** A copy of the map with some entries replaced or added. */
    public static Map<String, Object> with(Map<String, Object> base, Object... keysAndValues) {
        Map<String, Object> copy = new LinkedHashMap<>(base);
        copy.putAll(map(keysAndValues));
        return copy;
    }

    /** The contract's {@code {"e164": …, "raw": …}} phone. */
    public static Map<String, Object> phone(String e164, String raw) {
        return map("e164", e164, "raw", raw);
    }
}
