package io.dialerbridge.emulator.streaming;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A subscription's channel and, for a filtered PushTopic subscription ({@code /topic/Name?Field=value&…}), the
 * conditions its events must meet. As Salesforce documents it, {@code &} joins conditions as a logical OR: an event
 * is delivered when any condition holds. Values may be quoted ({@code Industry='Energy'}) or bare.
 *
 * @param subscription the channel name exactly as the client subscribed, echoed in replies and on every event
 * @param channel the channel the events are published on, without the filter
 */
public record SubscriptionFilter(String subscription, String channel, List<Condition> conditions) {

    /** One {@code Field=value} condition; the field is matched without regard to case, as SOQL does. */
    public record Condition(String field, String value) {
    }

    /** Splits a subscription into its channel and filter; only PushTopic channels take a filter. */
    public static SubscriptionFilter parse(String subscription) {
        int question = subscription.indexOf('?');
        if (question < 0 || !subscription.startsWith("/topic/")) {
            return new SubscriptionFilter(subscription, subscription, List.of());
        }
        List<Condition> conditions = new ArrayList<>();
        for (String part : subscription.substring(question + 1).split("&", -1)) {
            int equals = part.indexOf('=');
            String field = equals < 0 ? part.strip() : part.substring(0, equals).strip();
            String value = equals < 0 ? null : unquote(part.substring(equals + 1).strip());
            conditions.add(new Condition(field, value));
        }
        return new SubscriptionFilter(subscription, subscription.substring(0, question), List.copyOf(conditions));
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("'") && value.endsWith("'")
                ? value.substring(1, value.length() - 1) : value;
    }

    public boolean isFiltered() {
        return !conditions.isEmpty();
    }

    /**
     * The conditions that are not a field of the PushTopic's SELECT clause followed by a value, in the form
     * Salesforce's error names them; empty when the filter can be applied.
     */
    public List<String> invalidFields(List<String> selectFields) {
        List<String> invalid = new ArrayList<>();
        for (Condition condition : conditions) {
            boolean selected = selectFields.stream().anyMatch(field -> field.equalsIgnoreCase(condition.field()));
            if (!selected || condition.value() == null) {
                invalid.add(condition.field());
            }
        }
        return invalid;
    }

    /** Whether a PushTopic event's {@code data} passes the filter (always, when there is none). */
    public boolean matches(Map<String, Object> data) {
        if (conditions.isEmpty()) {
            return true;
        }
        if (!(data.get("sobject") instanceof Map<?, ?> sobject)) {
            return false;
        }
        for (Condition condition : conditions) {
            for (Map.Entry<?, ?> entry : sobject.entrySet()) {
                if (condition.field().equalsIgnoreCase(String.valueOf(entry.getKey()))
                        && sameValue(entry.getValue(), condition.value())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Texts compare exactly; numbers by value ({@code 5} is {@code 5.0}); booleans without regard to case. */
    private static boolean sameValue(Object recordValue, String filterValue) {
        if (recordValue == null) {
            return false;
        }
        if (recordValue instanceof Number number) {
            try {
                return new BigDecimal(number.toString()).compareTo(new BigDecimal(filterValue)) == 0;
            } catch (NumberFormatException notANumber) {
                return false;
            }
        }
        if (recordValue instanceof Boolean flag) {
            return flag.toString().equalsIgnoreCase(filterValue);
        }
        return recordValue.toString().equals(filterValue);
    }
}
