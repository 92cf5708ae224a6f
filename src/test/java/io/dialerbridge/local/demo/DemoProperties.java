package io.dialerbridge.local.demo;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** Demo traffic of local mode ({@code demo.*}): a simulated CRM and a simulated dialer. */
@ConfigurationProperties("demo")
public class DemoProperties {

    /** Whether local mode runs the simulated CRM and dialer. */
    private boolean enabled = true;
    /** Time between two CRM actions. */
    private Duration interval = Duration.ofSeconds(2);
    /** Time between two summary lines. */
    private Duration summaryInterval = Duration.ofSeconds(30);

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Duration getInterval() {
        return interval;
    }

    public void setInterval(Duration interval) {
        this.interval = interval;
    }

    public Duration getSummaryInterval() {
        return summaryInterval;
    }

    public void setSummaryInterval(Duration summaryInterval) {
        this.summaryInterval = summaryInterval;
    }
}
