package io.dialerbridge.suppression;

import io.dialerbridge.command.CampaignMembershipIndex;
import io.dialerbridge.command.ChangeEventMapper;
import io.dialerbridge.command.MappingRules;
import io.dialerbridge.command.SuppressionLifts;
import io.dialerbridge.command.phone.PhoneNormalizer;
import io.dialerbridge.kafka.DialerTopics;
import io.dialerbridge.kafka.KafkaClientSettings;
import io.dialerbridge.salesforce.SalesforceCallRetries;
import io.dialerbridge.salesforce.SalesforceRecords;
import io.dialerbridge.table.CompactedTables;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Do Not Call guard and what restores a person whose suppression lifts. */
@Configuration(proxyBeanMethods = false)
public class SuppressionConfiguration {

    @Bean
    SuppressionGuard suppressionGuard(KafkaClientSettings kafka, DialerTopics topics, CompactedTables tables,
            @Value("${dialer.kafka.rows-in-flight-limit-ms:180000}") long rowsInFlightLimitMs) {
        SuppressionGuard guard = new SuppressionGuard(() -> kafka.compactedTopic(topics.getSuppressions()),
                () -> kafka.compactedTopic(topics.getPersonNumbers()), Duration.ofMillis(rowsInFlightLimitMs));
        // One load reads both topics; each is registered so the start checks it exists and is compacted.
        tables.register(topics.getSuppressions(), "Do Not Call suppressions", guard::load, guard::catchUp);
        tables.register(topics.getPersonNumbers(), "the numbers of each person", guard::load);
        return guard;
    }

    /**
     * Restores a person's current state from Salesforce when their suppression lifts, and reads the numbers of a
     * person suppressed with none known. Wired here, not with the mappers, so the mapping feature does not depend on
     * the guard.
     */
    @Bean
    SuppressionLifts suppressionLifts(SuppressionGuard guard, SalesforceRecords records, MappingRules rules,
            PhoneNormalizer phones, CampaignMembershipIndex memberships, SalesforceCallRetries retries) {
        return new SuppressionLifts(guard::restoredBy, guard::numbersOf, records, rules,
                new ChangeEventMapper(rules, phones), memberships, retries);
    }
}
