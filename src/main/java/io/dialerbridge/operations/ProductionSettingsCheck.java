package io.dialerbridge.operations;

import java.util.List;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Profiles;

/**
 * Stops the application when a setting production needs is missing. It runs as soon as the configuration is read,
 * before any bean exists and so before Camel, Kafka or Salesforce are touched; the {@code local} profile supplies its
 * own settings and is left alone.
 *
 * <p>Registered in {@code META-INF/spring.factories} because it must run before the application context exists. It
 * runs just after logging is set up, so {@link ProductionSettingsFailureAnalyzer}'s report reaches the log.
 * {@code dialer.startup.check-settings=false} turns it off, for tests that wire the components themselves.
 */
public class ProductionSettingsCheck implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

    /** Profile that starts the emulator and the embedded broker and sets every setting itself. */
    public static final String LOCAL_PROFILE = "local";
    public static final String ENABLED = "dialer.startup.check-settings";

    private final ProductionSettingsValidator validator = new ProductionSettingsValidator();

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        check(event.getEnvironment());
    }

    /** Throws {@link ProductionSettingsException} naming every problem, unless local or switched off. */
    public void check(ConfigurableEnvironment environment) {
        if (environment.acceptsProfiles(Profiles.of(LOCAL_PROFILE))
                || !environment.getProperty(ENABLED, Boolean.class, true)) {
            return;
        }
        List<SettingProblem> problems = validator.validate(environment);
        if (!problems.isEmpty()) {
            throw new ProductionSettingsException(problems);
        }
    }

    @Override
    public int getOrder() {
        return LoggingApplicationListener.DEFAULT_ORDER + 1;
    }
}
