package io.dialerbridge.local;

import io.dialerbridge.emulator.EmulatorSettings;
import io.dialerbridge.emulator.SalesforceEmulator;
import io.dialerbridge.local.kafka.EmbeddedKafkaBroker;
import java.util.function.Consumer;
import org.apache.camel.Component;
import org.apache.camel.Ordered;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.spi.ComponentCustomizer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * The {@code local} profile: a Salesforce emulator and a Kafka broker in this process, started before the routes so
 * that the bridge has something to log in to and write to.
 */
@Configuration(proxyBeanMethods = false)
@Profile("local")
@EnableConfigurationProperties({EmulatorProperties.class, EmbeddedKafkaProperties.class})
public class LocalModeConfiguration {

    @Bean(destroyMethod = "close")
    SalesforceEmulator salesforceEmulator(EmulatorProperties properties) throws Exception {
        EmulatorSettings settings = EmulatorSettings.dialerOrg()
                .port(properties.getPort())
                .pubSubPort(properties.effectivePubSubPort())
                .host(properties.getHost())
                .tokenTimeToLive(properties.getTokenTimeToLive())
                .longPollTimeout(properties.getLongPollTimeout());
        return new SalesforceEmulator(settings).start();
    }

    @Bean(destroyMethod = "close")
    EmbeddedKafkaBroker embeddedKafkaBroker(EmbeddedKafkaProperties properties) {
        return EmbeddedKafkaBroker.builder()
                .port(properties.getPort())
                .dataDirectory(properties.getDataDirectory())
                .start();
    }

    /**
     * Points the salesforce component at the emulator as it actually listens (its ports may be chosen at runtime):
     * the login URL, and the Pub/Sub host and port, reached over TLS with the certificate the emulator added to this
     * JVM's trust.
     */
    @Bean
    ComponentCustomizer salesforceLogsInToTheEmulator(SalesforceEmulator emulator) {
        return afterProperties(SalesforceComponent.class, component -> {
            component.setLoginUrl(emulator.baseUrl());
            component.setPubSubHost(emulator.pubSubHost());
            component.setPubSubPort(emulator.pubSubPort());
        });
    }

    /** Points the kafka component at the embedded broker as it actually listens. */
    @Bean
    ComponentCustomizer kafkaWritesToTheEmbeddedBroker(EmbeddedKafkaBroker broker) {
        return afterProperties(KafkaComponent.class,
                component -> component.getConfiguration().setBrokers(broker.bootstrapServers()));
    }

    /** A customizer that runs after Camel's own, which binds {@code camel.component.*} properties at order 0. */
    private static <T extends Component> ComponentCustomizer afterProperties(Class<T> type, Consumer<T> customization) {
        return new ComponentCustomizer() {
            @Override
            public void configure(String name, Component component) {
                customization.accept(type.cast(component));
            }

            @Override
            public boolean isEnabled(String name, Component component) {
                return type.isInstance(component);
            }

            @Override
            public int getOrder() {
                return Ordered.LOWEST;
            }
        };
    }
}
