package io.dialerbridge.command;

import io.dialerbridge.command.phone.PhoneNormalizer;
import io.dialerbridge.kafka.DialerTopics;
import io.dialerbridge.kafka.KafkaClientSettings;
import io.dialerbridge.salesforce.SalesforceCallRetries;
import io.dialerbridge.salesforce.SalesforceRecords;
import io.dialerbridge.table.CompactedTables;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The mapping beans of the stream routes, configured by {@code dialer.mapping.*}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MappingRules.class)
public class CommandConfiguration {

    @Bean
    PhoneNormalizer phoneNormalizer(MappingRules rules, MeterRegistry meters) {
        PhoneNormalizer phones = new PhoneNormalizer(rules.getDefaultRegion());
        Gauge.builder("dialer.phone.unparsable", phones, PhoneNormalizer::unparsableCount)
                .description("Phone numbers that could not be normalised to E.164 (sent with e164 null)")
                .register(meters);
        return phones;
    }

    @Bean
    KafkaCampaignMembershipIndex campaignMembershipIndex(KafkaClientSettings kafka, DialerTopics topics,
            CompactedTables tables) {
        KafkaCampaignMembershipIndex index = new KafkaCampaignMembershipIndex(
                () -> kafka.compactedTopic(topics.getCampaignMembers()));
        tables.register(topics.getCampaignMembers(), "campaign memberships", index::load, index::catchUp);
        return index;
    }

    @Bean
    SalesforceRecords salesforceRecords(CamelContext camel) {
        return new SalesforceRecords(camel);
    }

    /** Refetches and resyncs wait out transient Salesforce failures until the Camel context stops. */
    @Bean
    SalesforceCallRetries salesforceCallRetries(CamelContext camel,
            @Value("${dialer.recovery.retry-delay:1s}") Duration retryDelay,
            @Value("${dialer.recovery.max-delay:60s}") Duration maxDelay) {
        return new SalesforceCallRetries(retryDelay, maxDelay, () -> camel.isStopping() || camel.isStopped());
    }

    /** The org id is read from the salesforce component's session: it is known once the bridge has logged in. */
    @Bean
    SalesforceEventMapper salesforceEventMapper(CamelContext camel, MappingRules rules, PhoneNormalizer phones,
            CampaignMembershipIndex memberships, SalesforceRecords records, SalesforceCallRetries retries) {
        return new SalesforceEventMapper(
                () -> camel.getComponent("salesforce", SalesforceComponent.class).getSession().getOrgId(),
                rules, phones, memberships, records, retries);
    }
}
