package org.apache.camel.component.salesforce.internal.streaming;

import java.lang.reflect.Field;
import java.util.Map;

/**
 * Test-only access to camel-salesforce's replay map. camel keeps it in a JVM-wide static and only fills in absent
 * channels, so without a reset one test's last replay id would leak into the next test's subscription.
 */
public final class CamelReplayState {

    private CamelReplayState() {
    }

    public static void reset() {
        try {
            Field dataMap = ReplayExtension.class.getDeclaredField("dataMap");
            dataMap.setAccessible(true);
            ((Map<?, ?>) dataMap.get(SubscriptionHelper.REPLAY_EXTENSION)).clear();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("camel-salesforce's replay extension changed shape", e);
        }
    }
}
