package io.dialerbridge.emulator.soql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.dialerbridge.emulator.soql.SoqlCondition.And;
import io.dialerbridge.emulator.soql.SoqlCondition.Comparison;
import io.dialerbridge.emulator.soql.SoqlCondition.InList;
import io.dialerbridge.emulator.soql.SoqlCondition.Like;
import io.dialerbridge.emulator.soql.SoqlCondition.Operator;
import io.dialerbridge.emulator.soql.SoqlCondition.Or;
import io.dialerbridge.emulator.soql.SoqlCondition.SemiJoin;
import io.dialerbridge.emulator.soql.SoqlQuery.Direction;
import io.dialerbridge.emulator.soql.SoqlQuery.OrderBy;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class SoqlQueryTest {

    static final String PRODUCT_QUERY =
            "SELECT Id, FirstName, LastName, Phone, MobilePhone, Email, Status, DoNotCall, IsConverted FROM Lead";

    static final String CAMEL_PUSH_TOPIC_LOOKUP = "SELECT Id, Name, Query, ApiVersion, IsActive, NotifyForFields, "
            + "NotifyForOperations, NotifyForOperationCreate, NotifyForOperationDelete, NotifyForOperationUndelete, "
            + "NotifyForOperationUpdate, Description FROM PushTopic WHERE Name = 'DialerLeads'";

    /** A record from alternating field names and values; values may be null. */
    static Map<String, Object> record(Object... namesAndValues) {
        Map<String, Object> record = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            record.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return record;
    }

    static boolean where(String condition, Map<String, Object> record) {
        return SoqlQuery.parse("SELECT Id FROM Lead WHERE " + condition).matches(record);
    }

    @Nested
    class Parsing {

        @Test
        void readsTheProductQuery() {
            SoqlQuery query = SoqlQuery.parse(PRODUCT_QUERY);

            assertThat(query.selectFields()).containsExactly("Id", "FirstName", "LastName", "Phone", "MobilePhone",
                    "Email", "Status", "DoNotCall", "IsConverted");
            assertThat(query.objectName()).isEqualTo("Lead");
            assertThat(query.where()).isEmpty();
            assertThat(query.orderBy()).isEmpty();
            assertThat(query.limit()).isEmpty();
            assertThat(query.offset()).isEmpty();
            assertThat(query.isCountQuery()).isFalse();
            assertThat(query.text()).isEqualTo(PRODUCT_QUERY);
        }

        @Test
        void readsTheProductQueryWithItsFilter() {
            SoqlQuery query = SoqlQuery.parse(PRODUCT_QUERY + " WHERE Status != 'Closed' AND DoNotCall = false");

            assertThat(query.where()).contains(new And(List.of(
                    new Comparison("Status", Operator.NOT_EQUALS, SoqlLiteral.text("Closed")),
                    new Comparison("DoNotCall", Operator.EQUALS, SoqlLiteral.bool(false)))));
            assertThat(query.whereFields()).containsExactly("Status", "DoNotCall");
        }

        @Test
        void readsCamelsPushTopicLookup() {
            SoqlQuery query = SoqlQuery.parse(CAMEL_PUSH_TOPIC_LOOKUP);

            assertThat(query.objectName()).isEqualTo("PushTopic");
            assertThat(query.selectFields()).containsExactly("Id", "Name", "Query", "ApiVersion", "IsActive",
                    "NotifyForFields", "NotifyForOperations", "NotifyForOperationCreate", "NotifyForOperationDelete",
                    "NotifyForOperationUndelete", "NotifyForOperationUpdate", "Description");
            assertThat(query.where()).contains(new Comparison("Name", Operator.EQUALS, SoqlLiteral.text("DialerLeads")));
            assertThat(query.matches(record("Name", "DialerLeads", "Query", "SELECT Id FROM Lead"))).isTrue();
            assertThat(query.matches(record("Name", "OtherTopic"))).isFalse();
        }

        @Test
        void takesKeywordsInAnyCase() {
            SoqlQuery query = SoqlQuery.parse(
                    "select Id, Name from Lead where Status = 'Open' order by Name desc limit 5 offset 10");

            assertThat(query.selectFields()).containsExactly("Id", "Name");
            assertThat(query.objectName()).isEqualTo("Lead");
            assertThat(query.whereFields()).containsExactly("Status");
            assertThat(query.orderBy()).containsExactly(new OrderBy("Name", Direction.DESCENDING));
            assertThat(query.limit()).hasValue(5);
            assertThat(query.offset()).hasValue(10);
        }

        @Test
        void keepsNamesAsWritten() {
            SoqlQuery query = SoqlQuery.parse("SELECT ID, firstname FROM lead WHERE DONOTCALL = FALSE");

            assertThat(query.selectFields()).containsExactly("ID", "firstname");
            assertThat(query.objectName()).isEqualTo("lead");
            assertThat(query.whereFields()).containsExactly("DONOTCALL");
        }

        @Test
        void ignoresLineBreaksTabsAndExtraSpaces() {
            SoqlQuery query = SoqlQuery.parse(
                    "\n  SELECT\n\tId ,\r\n  FirstName\nFROM\n    Lead\nWHERE\n  Status   =   'Open'\n");

            assertThat(query.selectFields()).containsExactly("Id", "FirstName");
            assertThat(query.objectName()).isEqualTo("Lead");
            assertThat(query.where()).contains(new Comparison("Status", Operator.EQUALS, SoqlLiteral.text("Open")));
        }

        @Test
        void listsReferencedFieldsOnceWhateverTheirCase() {
            SoqlQuery query = SoqlQuery.parse("SELECT Id, Status, Phone FROM Lead "
                    + "WHERE status = 'Open' AND Email != null AND DoNotCall = false AND STATUS != 'Closed'");

            assertThat(query.whereFields()).containsExactly("status", "Email", "DoNotCall");
            assertThat(query.referencedFields()).containsExactly("Id", "Status", "Phone", "Email", "DoNotCall");
        }

        @Test
        void readsOrderByEntriesWithDirectionsAndNulls() {
            SoqlQuery query = SoqlQuery.parse(
                    "SELECT Id FROM Lead ORDER BY LastName DESC NULLS LAST, FirstName, Company ASC NULLS FIRST");

            assertThat(query.orderBy()).containsExactly(
                    new OrderBy("LastName", Direction.DESCENDING),
                    new OrderBy("FirstName", Direction.ASCENDING),
                    new OrderBy("Company", Direction.ASCENDING));
        }

        @Test
        void readsCountQueries() {
            SoqlQuery query = SoqlQuery.parse("SELECT count() FROM Lead WHERE Status = 'Open'");

            assertThat(query.isCountQuery()).isTrue();
            assertThat(query.selectFields()).isEmpty();
            assertThat(query.objectName()).isEqualTo("Lead");
        }

        @Test
        void readsAggregatesAndGroupBy() {
            SoqlQuery query = SoqlQuery.parse("SELECT Status, COUNT(Id) total, MAX(CreatedDate) FROM Lead GROUP BY Status");

            assertThat(query.selectFields()).containsExactly("Status");
            assertThat(query.aggregates()).containsExactly("COUNT(Id)", "MAX(CreatedDate)");
            assertThat(query.groupBy()).containsExactly("Status");
            assertThat(query.isCountQuery()).isFalse();
        }

        @Test
        void readsParentToChildSubSelects() {
            SoqlQuery query = SoqlQuery.parse(
                    "SELECT Id, (SELECT Id, LastName FROM Contacts WHERE LastName != null) FROM Account");

            assertThat(query.selectFields()).containsExactly("Id");
            assertThat(query.childQueries()).hasSize(1);
            SoqlQuery child = query.childQueries().get(0);
            assertThat(child.objectName()).isEqualTo("Contacts");
            assertThat(child.selectFields()).containsExactly("Id", "LastName");
            assertThat(child.text()).isEqualTo("SELECT Id, LastName FROM Contacts WHERE LastName != null");
        }

        @Test
        void readsTypeOf() {
            SoqlQuery query = SoqlQuery.parse("SELECT Id, TYPEOF What WHEN Account THEN Phone, NumberOfEmployees "
                    + "WHEN Opportunity THEN Amount ELSE Name END, Subject FROM Event");

            assertThat(query.typeOfFields()).containsExactly("What");
            assertThat(query.selectFields()).containsExactly("Id", "Subject");
        }

        @Test
        void readsRelationshipPaths() {
            SoqlQuery query = SoqlQuery.parse("SELECT Id, Owner.Name FROM Lead WHERE Owner.IsActive = true");

            assertThat(query.selectFields()).containsExactly("Id", "Owner.Name");
            assertThat(query.whereFields()).containsExactly("Owner.IsActive");
        }

        @Test
        void readsSemiAndAntiJoins() {
            SoqlQuery semi = SoqlQuery.parse(
                    "SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Contact WHERE Title = 'CEO')");
            SoqlQuery anti = SoqlQuery.parse(
                    "SELECT Id FROM Account WHERE Id NOT IN (SELECT AccountId FROM Opportunity)");

            SemiJoin join = (SemiJoin) semi.where().orElseThrow();
            assertThat(join.field()).isEqualTo("Id");
            assertThat(join.negated()).isFalse();
            assertThat(join.subquery().objectName()).isEqualTo("Contact");
            assertThat(join.subquery().text()).isEqualTo("SELECT AccountId FROM Contact WHERE Title = 'CEO'");
            assertThat(((SemiJoin) anti.where().orElseThrow()).negated()).isTrue();
            assertThatThrownBy(() -> semi.matches(record("Id", "001000000000001AAA")))
                    .isInstanceOf(UnsupportedOperationException.class);
        }

        @Test
        void readsEveryKindOfLiteral() {
            SoqlQuery query = SoqlQuery.parse("SELECT Id FROM Opportunity WHERE Amount = -12.50 OR Probability = 7 "
                    + "OR CloseDate = 2026-11-27 OR LastModifiedDate = 2026-11-27T16:04:05+01:00 "
                    + "OR IsWon = TRUE OR Name = null OR Name = 'It\\'s' OR Name LIKE 'Big\\%%' "
                    + "OR StageName IN ('Won', 'Lost')");

            assertThat(((Or) query.where().orElseThrow()).operands()).containsExactly(
                    new Comparison("Amount", Operator.EQUALS, SoqlLiteral.number(new BigDecimal("-12.50"))),
                    new Comparison("Probability", Operator.EQUALS, SoqlLiteral.number(new BigDecimal("7"))),
                    new Comparison("CloseDate", Operator.EQUALS, SoqlLiteral.date(LocalDate.of(2026, 11, 27))),
                    new Comparison("LastModifiedDate", Operator.EQUALS,
                            SoqlLiteral.dateTime(Instant.parse("2026-11-27T15:04:05Z"))),
                    new Comparison("IsWon", Operator.EQUALS, SoqlLiteral.bool(true)),
                    new Comparison("Name", Operator.EQUALS, SoqlLiteral.nullValue()),
                    new Comparison("Name", Operator.EQUALS, SoqlLiteral.text("It's")),
                    new Like("Name", "Big\\%%"),
                    new InList("StageName", false, List.of(SoqlLiteral.text("Won"), SoqlLiteral.text("Lost"))));
        }

        @ParameterizedTest
        @CsvSource({
            "=, EQUALS", "!=, NOT_EQUALS", "<>, NOT_EQUALS", "<, LESS", "<=, LESS_OR_EQUAL", ">, GREATER",
            ">=, GREATER_OR_EQUAL",
        })
        void readsEveryComparisonOperator(String symbol, Operator operator) {
            SoqlQuery query = SoqlQuery.parse("SELECT Id FROM Lead WHERE NumberOfEmployees " + symbol + " 5");

            assertThat(query.where()).contains(
                    new Comparison("NumberOfEmployees", operator, SoqlLiteral.number(new BigDecimal("5"))));
        }

        @Test
        void queryWithoutWhereMatchesEveryRecord() {
            assertThat(SoqlQuery.parse(PRODUCT_QUERY).matches(Map.of())).isTrue();
        }
    }

    @Nested
    class Evaluation {

        @ParameterizedTest(name = "{0} with {1} -> {2}")
        @MethodSource("textComparisons")
        void comparesTextCaseInsensitively(String condition, Object status, boolean expected) {
            assertThat(where(condition, record("Status", status))).isEqualTo(expected);
        }

        static Stream<Arguments> textComparisons() {
            return Stream.of(
                    arguments("Status = 'Open'", "Open", true),
                    arguments("Status = 'Open'", "open", true),
                    arguments("Status = 'Open'", "OPEN", true),
                    arguments("Status = 'Open'", "Open ", false),
                    arguments("Status = 'Open'", "Closed", false),
                    arguments("Status = 'Open'", null, false),
                    arguments("Status != 'Closed'", "Open", true),
                    arguments("Status != 'Closed'", "closed", false),
                    arguments("Status != 'Closed'", null, true),
                    arguments("Status <> 'Closed'", "CLOSED", false),
                    arguments("Status <> 'Closed'", "Working", true),
                    arguments("Status < 'b'", "a", true),
                    arguments("Status < 'b'", "A", true),
                    arguments("Status < 'b'", "B", false),
                    arguments("Status <= 'b'", "B", true),
                    arguments("Status >= 'M'", "m", true),
                    arguments("Status >= 'M'", "z", true),
                    arguments("Status > 'M'", "a", false),
                    arguments("Status > 'M'", null, false));
        }

        @ParameterizedTest(name = "{0} with {1} -> {2}")
        @MethodSource("numberComparisons")
        void comparesNumbersNumerically(String condition, Object employees, boolean expected) {
            assertThat(where(condition, record("NumberOfEmployees", employees))).isEqualTo(expected);
        }

        static Stream<Arguments> numberComparisons() {
            return Stream.of(
                    arguments("NumberOfEmployees = 5", 5L, true),
                    arguments("NumberOfEmployees = 5", 5, true),
                    arguments("NumberOfEmployees = 5", 5.0d, true),
                    arguments("NumberOfEmployees = 5", new BigDecimal("5.00"), true),
                    arguments("NumberOfEmployees = 5", "5", true),
                    arguments("NumberOfEmployees = 5", 6L, false),
                    arguments("NumberOfEmployees = 5", "five", false),
                    arguments("NumberOfEmployees = 5", null, false),
                    arguments("NumberOfEmployees = 0.1", 0.1d, true),
                    arguments("NumberOfEmployees != 5", 6L, true),
                    arguments("NumberOfEmployees != 5", 5L, false),
                    arguments("NumberOfEmployees != 5", null, true),
                    arguments("NumberOfEmployees > 9", 10L, true),
                    arguments("NumberOfEmployees > 9", 9L, false),
                    arguments("NumberOfEmployees > 9", 9.5d, true),
                    arguments("NumberOfEmployees > 9", null, false),
                    arguments("NumberOfEmployees >= 9", 9L, true),
                    arguments("NumberOfEmployees >= 9", 8.99d, false),
                    arguments("NumberOfEmployees < 9", 8L, true),
                    arguments("NumberOfEmployees < 9", 10L, false),
                    arguments("NumberOfEmployees < 9", null, false),
                    arguments("NumberOfEmployees <= 9", 9L, true),
                    arguments("NumberOfEmployees <= 9", 9.01d, false),
                    arguments("NumberOfEmployees > -1.5", -1L, true),
                    arguments("NumberOfEmployees > -1.5", -2L, false),
                    arguments("NumberOfEmployees > -1.5", 0L, true));
        }

        @ParameterizedTest(name = "{0} with {1} -> {2}")
        @MethodSource("booleanComparisons")
        void comparesCheckboxes(String condition, Object doNotCall, boolean expected) {
            assertThat(where(condition, record("DoNotCall", doNotCall))).isEqualTo(expected);
        }

        static Stream<Arguments> booleanComparisons() {
            return Stream.of(
                    arguments("DoNotCall = false", false, true),
                    arguments("DoNotCall = false", true, false),
                    arguments("DoNotCall = false", null, true),
                    arguments("DoNotCall = false", "false", true),
                    arguments("DoNotCall = TRUE", true, true),
                    arguments("DoNotCall = true", false, false),
                    arguments("DoNotCall = true", null, false),
                    arguments("DoNotCall != false", true, true),
                    arguments("DoNotCall != false", false, false),
                    // Salesforce documents that on a checkbox "= null" means "= false"
                    arguments("DoNotCall = null", false, true),
                    arguments("DoNotCall = null", true, false),
                    arguments("DoNotCall != null", true, true),
                    arguments("DoNotCall != null", false, false));
        }

        @ParameterizedTest(name = "{0} with {1} -> {2}")
        @MethodSource("nullComparisons")
        void treatsNullAsAValue(String condition, Object email, boolean expected) {
            assertThat(where(condition, record("Email", email))).isEqualTo(expected);
        }

        static Stream<Arguments> nullComparisons() {
            return Stream.of(
                    arguments("Email = null", null, true),
                    arguments("Email = null", "ada@example.com", false),
                    arguments("Email != null", "ada@example.com", true),
                    arguments("Email != null", null, false),
                    arguments("Email < null", "ada@example.com", false),
                    arguments("Email > null", null, false));
        }

        @Test
        void treatsAnAbsentFieldAsNull() {
            assertThat(where("Email = null", record("Status", "Open"))).isTrue();
            assertThat(where("Email != null", record("Status", "Open"))).isFalse();
            assertThat(where("Email = 'x'", record("Status", "Open"))).isFalse();
        }

        @ParameterizedTest(name = "{0} with {1} -> {2}")
        @MethodSource("likeMatches")
        void matchesLikePatterns(String condition, Object name, boolean expected) {
            assertThat(where(condition, record("Name", name))).isEqualTo(expected);
        }

        static Stream<Arguments> likeMatches() {
            return Stream.of(
                    arguments("Name LIKE 'Acme%'", "Acme", true),
                    arguments("Name LIKE 'Acme%'", "Acme Corp", true),
                    arguments("Name LIKE 'Acme%'", "acme corp", true),
                    arguments("Name LIKE 'Acme%'", "Acme\nCorp", true),
                    arguments("Name LIKE 'Acme%'", "The Acme", false),
                    arguments("Name LIKE 'Acme%'", null, false),
                    arguments("Name LIKE '%corp'", "Acme Corp", true),
                    arguments("Name LIKE '%corp'", "Acme Corporation", false),
                    arguments("Name LIKE 'A_me'", "Acme", true),
                    arguments("Name LIKE 'A_me'", "Ame", false),
                    arguments("Name LIKE 'A_me'", "Accme", false),
                    arguments("Name LIKE '%'", "", true),
                    arguments("Name LIKE '100\\%'", "100%", true),
                    arguments("Name LIKE '100\\%'", "1000", false),
                    arguments("Name LIKE '100\\%%'", "100% pure", true),
                    arguments("Name LIKE 'a\\_b'", "a_b", true),
                    arguments("Name LIKE 'a\\_b'", "axb", false),
                    arguments("Name LIKE 'a.c'", "a.c", true),
                    arguments("Name LIKE 'a.c'", "abc", false),
                    arguments("Name LIKE '(x)*%'", "(x)*y", true),
                    arguments("Name LIKE '(x)*%'", "xxx", false),
                    arguments("Name LIKE 'O\\'B%'", "O'Brien", true),
                    arguments("Name LIKE '5'", 5L, false));
        }

        @ParameterizedTest(name = "{0} with {1} -> {2}")
        @MethodSource("inLists")
        void matchesInLists(String condition, Object status, boolean expected) {
            assertThat(where(condition, record("Status", status))).isEqualTo(expected);
        }

        static Stream<Arguments> inLists() {
            return Stream.of(
                    arguments("Status IN ('Open', 'Working')", "open", true),
                    arguments("Status IN ('Open', 'Working')", "Working", true),
                    arguments("Status IN ('Open', 'Working')", "Closed", false),
                    arguments("Status IN ('Open', 'Working')", null, false),
                    arguments("Status NOT IN ('Closed', 'Converted')", "Open", true),
                    arguments("Status NOT IN ('Closed', 'Converted')", "CLOSED", false),
                    arguments("Status NOT IN ('Closed', 'Converted')", null, true),
                    arguments("Status IN (1, 2.5)", 2.5d, true),
                    arguments("Status IN (1, 2.5)", 1L, true),
                    arguments("Status IN (1, 2.5)", 3L, false),
                    arguments("Status IN (null, 'Open')", null, true),
                    arguments("Status NOT IN (null)", null, false));
        }

        @ParameterizedTest(name = "{0} with {1} -> {2}")
        @MethodSource("dateComparisons")
        void comparesDatesAndDateTimesAsInstants(String condition, Object value, boolean expected) {
            assertThat(where(condition, record("When", value))).isEqualTo(expected);
        }

        static Stream<Arguments> dateComparisons() {
            return Stream.of(
                    arguments("When < 2026-11-27", "2026-11-26", true),
                    arguments("When < 2026-11-27", "2026-11-27", false),
                    arguments("When < 2026-11-27", "2026-11-28", false),
                    arguments("When < 2026-11-27", "2026-11-26T23:59:59.999Z", true),
                    // The record store keeps date-times as Instants; queries and PushTopics compare them as they are.
                    arguments("When < 2026-11-27", Instant.parse("2026-11-26T23:59:59.999Z"), true),
                    arguments("When < 2026-11-27T15:04:05Z", Instant.parse("2026-11-27T15:04:05Z"), false),
                    arguments("When >= 2026-11-27T15:04:05Z", Instant.parse("2026-11-27T15:04:05Z"), true),
                    arguments("When = 2026-11-27", "2026-11-27T15:04:05.000Z", true),
                    arguments("When = 2026-11-27", "soon", false),
                    arguments("When = 2026-11-27", null, false),
                    arguments("When > 2026-11-27T15:04:05Z", "2026-11-27T15:04:05.001Z", true),
                    arguments("When > 2026-11-27T15:04:05Z", "2026-11-27T15:04:05.000Z", false),
                    arguments("When > 2026-11-27T15:04:05Z", "2026-11-27T15:04:05.000+0000", false),
                    arguments("When > 2026-11-27T15:04:05Z", "2026-11-27T16:04:05.000+01:00", false),
                    arguments("When > 2026-11-27T15:04:05Z", "2026-11-27T16:04:06+01:00", true),
                    arguments("When = 2026-11-27T16:04:05+01:00", "2026-11-27T15:04:05.000Z", true),
                    arguments("When >= 2026-11-27T15:04:05.000Z", "2026-11-27T15:04:05Z", true),
                    arguments("When <= 2026-11-27T15:04:05-08:00", "2026-11-27T23:04:05.000Z", true),
                    arguments("When <= 2026-11-27T15:04:05-08:00", "2026-11-27T23:04:06.000Z", false));
        }

        @ParameterizedTest(name = "{0} matches {1}")
        @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            LastName = 'O\\'Brien'     | O'Brien
            LastName = 'C:\\\\dir'     | C:\\dir
            LastName = 'caf\\u00e9'    | CAFÉ
            """)
        void decodesStringEscapes(String condition, String lastName) {
            assertThat(where(condition, record("LastName", lastName))).isTrue();
        }

        @Test
        void decodesLineBreakAndQuoteEscapes() {
            assertThat(where("Notes = 'say \\\"hi\\\"'", record("Notes", "say \"hi\""))).isTrue();
            assertThat(where("Notes = 'a\\nb\\tc'", record("Notes", "a\nb\tc"))).isTrue();
            assertThat(where("Notes = 'a\\nb\\tc'", record("Notes", "anbtc"))).isFalse();
        }

        @Test
        void looksFieldsUpCaseInsensitively() {
            assertThat(where("donotcall = false", record("DoNotCall", false))).isTrue();
            assertThat(where("donotcall = false", record("DoNotCall", true))).isFalse();
            assertThat(where("STATUS IN ('Open')", record("Status", "Open"))).isTrue();
        }

        @Test
        void followsRelationshipPathsIntoParentRecords() {
            Map<String, Object> lead = record("Owner", record("Name", "Ada", "IsActive", true));

            assertThat(where("Owner.Name = 'ada'", lead)).isTrue();
            assertThat(where("owner.isactive = false", lead)).isFalse();
            assertThat(where("Owner.Name = 'Ada'", record("Owner", null))).isFalse();
            // as in Salesforce, a missing parent makes its fields null
            assertThat(where("Owner.Name = null", record("Status", "Open"))).isTrue();
        }
    }

    @Nested
    class Logic {

        @ParameterizedTest(name = "{0}, {1}: AND -> {2}, OR -> {3}")
        @CsvSource({
            "Open,   false, true,  true",
            "Open,   true,  false, true",
            "Closed, false, false, true",
            "Closed, true,  false, false",
        })
        void combinesWithAndAndOr(String status, boolean doNotCall, boolean and, boolean or) {
            Map<String, Object> lead = record("Status", status, "DoNotCall", doNotCall);

            assertThat(where("Status = 'Open' AND DoNotCall = false", lead)).isEqualTo(and);
            assertThat(where("Status = 'Open' OR DoNotCall = false", lead)).isEqualTo(or);
        }

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource(value = {"Open, false", "Closed, true", "NULL, true"}, nullValues = "NULL")
        void negatesWithNot(String status, boolean expected) {
            assertThat(where("NOT Status = 'Open'", record("Status", status))).isEqualTo(expected);
        }

        @Test
        void chainsOneOperatorWithoutParentheses() {
            Map<String, Object> lead = record("Status", "Open", "DoNotCall", false, "IsConverted", false);

            assertThat(where("Status = 'Open' AND DoNotCall = false AND IsConverted = false", lead)).isTrue();
            assertThat(where("Status = 'Open' AND DoNotCall = false AND IsConverted = true", lead)).isFalse();
            assertThat(where("Status = 'x' OR Status = 'y' OR Status = 'open'", lead)).isTrue();
        }

        @Test
        void groupsAsTheParenthesesSay() {
            Map<String, Object> lead = record("Status", "Closed", "DoNotCall", true, "IsConverted", true);

            assertThat(where("(Status = 'Open' AND DoNotCall = false) OR IsConverted = true", lead)).isTrue();
            assertThat(where("Status = 'Open' AND (DoNotCall = false OR IsConverted = true)", lead)).isFalse();
            assertThat(where("NOT (Status = 'Open' OR DoNotCall = false)", lead)).isTrue();
            assertThat(where("IsConverted = true AND (NOT Status = 'Closed')", lead)).isFalse();
            assertThat(where("((Status = 'Closed'))", lead)).isTrue();
        }

        @Test
        void buildsTheTreeTheParenthesesDescribe() {
            SoqlQuery query = SoqlQuery.parse(
                    "SELECT Id FROM Lead WHERE (Status = 'Open' AND DoNotCall = false) OR IsConverted = true");

            Or or = (Or) query.where().orElseThrow();
            assertThat(or.operands()).hasSize(2);
            assertThat(or.operands().get(0)).isInstanceOf(And.class);
            assertThat(or.operands().get(1))
                    .isEqualTo(new Comparison("IsConverted", Operator.EQUALS, SoqlLiteral.bool(true)));
        }

        /** Salesforce documents that parentheses are required whenever AND, OR and NOT are mixed. */
        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            Status = 'Open' AND DoNotCall = false OR IsConverted = true | 'OR'
            Status = 'Open' OR DoNotCall = false AND IsConverted = true | 'AND'
            Status = 'Open' AND NOT DoNotCall = true                     | 'NOT'
            NOT Status = 'Open' AND DoNotCall = false                    | 'AND'
            (Status = 'Open' AND DoNotCall = false OR IsConverted = true) | 'OR'
            Id IN (SELECT LeadId FROM Task WHERE A = 1 OR B = 2 AND C = 3) | 'AND'
            """)
        void refusesMixedOperatorsWithoutParentheses(String condition, String token) {
            assertThatThrownBy(() -> SoqlQuery.parse("SELECT Id FROM Lead WHERE " + condition))
                    .isInstanceOf(SoqlException.class)
                    .hasMessageEndingWith("unexpected token: " + token)
                    .extracting(e -> ((SoqlException) e).errorCode()).isEqualTo("MALFORMED_QUERY");
        }
    }

    @Nested
    class MalformedQueries {

        @Test
        void quotesTheOffendingTokenWithACaretAsSalesforceDoes() {
            assertThatThrownBy(() -> SoqlQuery.parse("SELECT Id FORM Lead"))
                    .isInstanceOf(SoqlException.class)
                    .hasMessage("SELECT Id FORM Lead\n"
                            + "          ^\n"
                            + "ERROR at Row:1:Column:11\n"
                            + "unexpected token: 'FORM'")
                    .extracting(e -> ((SoqlException) e).errorCode()).isEqualTo("MALFORMED_QUERY");
        }

        @Test
        void reportsTheRowAndColumnOfAMultiLineQuery() {
            assertThatThrownBy(() -> SoqlQuery.parse("SELECT Id\nFROM Lead\nWHERE Status = = 'x'"))
                    .hasMessage("WHERE Status = = 'x'\n"
                            + "               ^\n"
                            + "ERROR at Row:3:Column:16\n"
                            + "unexpected token: '='");
        }

        @Test
        void namesTheEndOfTheQuery() {
            assertThatThrownBy(() -> SoqlQuery.parse("SELECT Id FROM"))
                    .hasMessageContaining("ERROR at Row:1:Column:15")
                    .hasMessageEndingWith("unexpected token: <EOF>");
        }

        @Test
        void pointsAtTheBadEscapeInsideAString() {
            assertThatThrownBy(() -> SoqlQuery.parse("SELECT Id FROM Lead WHERE Status = 'a\\qb'"))
                    .hasMessageContaining("ERROR at Row:1:Column:38")
                    .hasMessageEndingWith("Illegal character sequence '\\q' in string literal");
        }

        @ParameterizedTest(name = "[{index}] {0}")
        @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            SELECT FROM Lead                                         | unexpected token: 'FROM'
            SELECT Id, FROM Lead                                     | unexpected token: 'FROM'
            SELECT Id Lead                                           | unexpected token: 'Lead'
            SELECT Id FROM Lead WHERE                                | unexpected token: <EOF>
            SELECT Id FROM Lead WHERE Status                         | unexpected token: <EOF>
            SELECT Id FROM Lead WHERE Status = 'Open                 | unterminated string literal: missing closing quote
            SELECT Id FROM Lead WHERE Name = '100\\%'                | Illegal character sequence '\\%' in string literal
            SELECT Id FROM Lead WHERE Name = 'caf\\u00'              | Illegal character sequence '\\u00' in string literal
            SELECT Id FROM Lead WHERE Name LIKE 5                    | unexpected token: '5'
            SELECT Id FROM Lead WHERE Name NOT LIKE 'a%'             | unexpected token: 'NOT'
            SELECT Id FROM Lead WHERE Status IN ()                   | unexpected token: ')'
            SELECT Id FROM Lead WHERE Status IN 'Open'               | unexpected token: ''Open''
            SELECT Id FROM Lead WHERE (Status = 'Open'               | unexpected token: <EOF>
            SELECT Id FROM Lead WHERE Status = 'Open')               | unexpected token: ')'
            SELECT Id FROM Lead WHERE Status = Open                  | unexpected token: 'Open'
            SELECT Id FROM Lead WHERE CreatedDate = TODAY            | unexpected token: 'TODAY'
            SELECT Id FROM Lead WHERE CloseDate = 2026-13-45         | invalid date: 2026-13-45
            SELECT Id FROM Lead WHERE CreatedDate > 2026-11-27T15:04 | invalid date-time: 2026-11-27T15:04 (expected YYYY-MM-DDThh:mm:ss with Z or an offset such as +01:00)
            SELECT Id FROM Lead WHERE CreatedDate > 2026-11-27T15:04:05 | invalid date-time: 2026-11-27T15:04:05 (expected YYYY-MM-DDThh:mm:ss with Z or an offset such as +01:00)
            SELECT Id FROM Lead, Contact                             | unexpected token: ','
            SELECT Id FROM Lead l                                    | unexpected token: 'l'
            SELECT Id FROM Lead LIMIT -1                             | unexpected token: '-1'
            SELECT Id FROM Lead LIMIT 1.5                            | unexpected token: '1.5'
            SELECT Id FROM Lead LIMIT 99999999999                    | number out of range: 99999999999
            SELECT Id FROM Lead OFFSET 5 LIMIT 1                     | unexpected token: 'LIMIT'
            SELECT Id FROM Lead ORDER Name                           | unexpected token: 'Name'
            SELECT Id FROM Lead;                                     | unexpected token: ';'
            SELECT Id FROM Lead WHERE Id = :leadId                   | unexpected token: ':'
            SELECT Id, COUNT() FROM Lead                             | COUNT() must be the only element in the SELECT list
            SELECT toLabel(Status) FROM Lead                         | function 'toLabel' is not supported by the emulator
            SELECT Id FROM Lead WITH SECURITY_ENFORCED               | unexpected token: 'WITH'
            ""                                                       | unexpected token: <EOF>
            """)
        void refusesAsMalformed(String soql, String detail) {
            assertThatThrownBy(() -> SoqlQuery.parse(soql))
                    .isInstanceOf(SoqlException.class)
                    .hasMessageEndingWith("\n" + detail)
                    .extracting(e -> ((SoqlException) e).errorCode()).isEqualTo("MALFORMED_QUERY");
        }
    }
}
