package io.dialerbridge.salesforce.stream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a channel's resync reads again when Salesforce refuses its checkpoint as expired. */
class SalesforceStreamConsumerTest {

    @Test
    void aChangeEventChannelNamesItsEntity() {
        assertThat(SalesforceStreamConsumer.entityOf("/data/ContactChangeEvent")).isEqualTo("Contact");
        assertThat(SalesforceStreamConsumer.entityOf("/data/Invoice__ChangeEvent")).isEqualTo("Invoice__c");
        assertThat(SalesforceStreamConsumer.entityOf("/data/ChangeEvents")).isNull();
    }

    @Test
    void aPushTopicQueryNamesItsEntityAndWhichRecords() {
        assertThat(SalesforceStreamConsumer.topicTarget("SELECT Id, FirstName, DoNotCall FROM Lead"))
                .containsExactly("Lead", null);
        assertThat(SalesforceStreamConsumer.topicTarget(
                "select Id, FromDate__c from Lead where Status != 'Closed' AND IsConverted = false"))
                .containsExactly("Lead", "Status != 'Closed' AND IsConverted = false");
        assertThat(SalesforceStreamConsumer.topicTarget(null)).isNull();
        assertThat(SalesforceStreamConsumer.topicTarget("not a query")).isNull();
    }
}
