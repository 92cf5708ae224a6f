package io.dialerbridge.emulator.soql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PushTopicQueryRulesTest {

    @Nested
    class Accepts {

        @Test
        void theProductQueryAndGivesItBackParsed() {
            SoqlQuery query = PushTopicQueryRules.validate(SoqlQueryTest.PRODUCT_QUERY);

            assertThat(query.objectName()).isEqualTo("Lead");
            assertThat(query.selectFields()).hasSize(9).startsWith("Id", "FirstName");
        }

        @Test
        void theProductQueryWithItsFilter() {
            SoqlQuery query = PushTopicQueryRules.validate(
                    SoqlQueryTest.PRODUCT_QUERY + " WHERE Status != 'Closed' AND DoNotCall = false");

            assertThat(query.matches(Map.of("Status", "Open", "DoNotCall", false))).isTrue();
            assertThat(query.matches(Map.of("Status", "Closed", "DoNotCall", false))).isFalse();
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "SELECT Id, Status FROM Lead WHERE Status NOT IN ('Closed', 'Converted')",
            "SELECT Id, Status FROM Lead WHERE Status <> 'Closed'",
            "SELECT Id, Status FROM Lead WHERE (Status = 'Open' OR Status = 'Working') AND DoNotCall = false",
            "SELECT Id, Name FROM Account WHERE NumberOfEmployees > 1000",
            "SELECT Id, Name, Amount FROM Opportunity WHERE CloseDate < 2011-06-14",
            "SELECT Id, Subject FROM Case WHERE Status = 'Working' AND IsEscalated = TRUE",
            "SELECT Id, Name FROM Lead WHERE Name LIKE 'Acme%'",
            "SELECT Id, OwnerId FROM Lead",
            "select id, status from lead",
        })
        void whatSalesforceAllows(String soql) {
            assertThatCode(() -> PushTopicQueryRules.validate(soql)).doesNotThrowAnyException();
        }

        @Test
        void camelsPushTopicLookupQuery() {
            assertThatCode(() -> PushTopicQueryRules.check(SoqlQuery.parse(SoqlQueryTest.CAMEL_PUSH_TOPIC_LOOKUP)))
                    .doesNotThrowAnyException();
        }
    }

    @Nested
    class Refuses {

        /** Most rows are the examples of Salesforce's "Unsupported PushTopic Queries" page. */
        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            SELECT Id, Name FROM Account WHERE Id IN (SELECT AccountId FROM Contact WHERE Title = 'CEO') | semi/anti join sub-selects are not supported
            SELECT Id FROM Account WHERE Name != null AND Id NOT IN (SELECT AccountId FROM Opportunity) | semi/anti join sub-selects are not supported
            SELECT Id, AVG(AnnualRevenue) FROM Account                   | Aggregate queries are not supported
            SELECT Id, Industry, Count(Name) FROM Account                | Aggregate queries are not supported
            SELECT COUNT() FROM Lead                                     | Aggregate queries are not supported
            SELECT Id, AccountId FROM Contact GROUP BY AccountId         | Aggregate queries are not supported
            SELECT Id, Name FROM Contact LIMIT 10                        | 'LIMIT' is not allowed
            SELECT Id, Contact.Account.Name FROM Contact                 | relationships are not supported
            SELECT Id FROM Lead WHERE Owner.Name = 'Ada'                 | relationships are not supported
            SELECT Id, (SELECT Id FROM Contacts) FROM Account            | relationships are not supported
            SELECT Id, Name FROM Account ORDER BY Name                   | 'ORDER BY' clause is not allowed
            SELECT Id FROM Account WHERE NOT Name = 'Salesforce.com'     | 'NOT' is not supported
            SELECT Id FROM Lead WHERE Status = 'Open' AND (NOT DoNotCall = true) | 'NOT' is not supported
            SELECT Id, Name FROM Account OFFSET 5                        | 'OFFSET' clause is not allowed
            SELECT Id, TYPEOF What WHEN Account THEN Phone ELSE Name END FROM Event | 'TYPEOF' clause is not allowed
            SELECT Name, Status FROM Lead                                | PushTopic queries must select the Id field
            """)
        void withSalesforcesMessage(String soql, String message) {
            assertThatThrownBy(() -> PushTopicQueryRules.validate(soql))
                    .isInstanceOf(SoqlException.class)
                    .hasMessage(message)
                    .extracting(e -> ((SoqlException) e).errorCode()).isEqualTo("INVALID_FIELD");
        }

        @Test
        void anAlreadyParsedQuery() {
            SoqlQuery query = SoqlQuery.parse("SELECT Id, Name FROM Contact LIMIT 10");

            assertThatThrownBy(() -> PushTopicQueryRules.check(query)).hasMessage("'LIMIT' is not allowed");
        }

        @Test
        void aQueryOverMoreThanOneObjectAsMalformed() {
            assertThatThrownBy(() -> PushTopicQueryRules.validate("SELECT Id FROM Lead, Contact"))
                    .isInstanceOf(SoqlException.class)
                    .hasMessageEndingWith("unexpected token: ','")
                    .extracting(e -> ((SoqlException) e).errorCode()).isEqualTo("MALFORMED_QUERY");
        }

        @Test
        void malformedTextBeforeAnyRule() {
            assertThatThrownBy(() -> PushTopicQueryRules.validate("SELECT Id FORM Lead LIMIT 10"))
                    .hasMessageEndingWith("unexpected token: 'FORM'")
                    .extracting(e -> ((SoqlException) e).errorCode()).isEqualTo("MALFORMED_QUERY");
        }
    }
}
