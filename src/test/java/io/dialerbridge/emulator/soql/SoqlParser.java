package io.dialerbridge.emulator.soql;

import io.dialerbridge.emulator.soql.SoqlTokenizer.Kind;
import io.dialerbridge.emulator.soql.SoqlTokenizer.Token;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Recursive-descent reader of the SOQL subset described on {@link SoqlQuery}, one method per grammar rule.
 */
final class SoqlParser {

    /** Salesforce's reserved words: they never name a field or an object. */
    private static final Set<String> RESERVED = Set.of("AND", "ASC", "DESC", "EXCLUDES", "FIRST", "FROM", "GROUP",
            "HAVING", "IN", "INCLUDES", "LAST", "LIKE", "LIMIT", "NOT", "NULL", "NULLS", "OR", "SELECT", "WHERE",
            "WITH");

    private static final Set<String> AGGREGATE_FUNCTIONS = Set.of("AVG", "COUNT", "COUNT_DISTINCT", "MIN", "MAX",
            "SUM");

    private final String soql;
    private final List<Token> tokens;
    private int index;

    private SoqlParser(String soql, List<Token> tokens) {
        this.soql = soql;
        this.tokens = tokens;
    }

    static SoqlQuery parse(String soql) {
        SoqlParser parser = new SoqlParser(soql, SoqlTokenizer.tokenize(soql));
        SoqlQuery query = parser.query(false);
        parser.expect(Kind.END);
        return query;
    }

    /** query := SELECT selectList FROM name [WHERE …] [GROUP BY …] [ORDER BY …] [LIMIT n] [OFFSET n] */
    private SoqlQuery query(boolean nested) {
        int start = current().offset();
        expectKeyword("SELECT");
        SelectList select = selectList();
        expectKeyword("FROM");
        String objectName = name();

        SoqlCondition where = null;
        if (acceptKeyword("WHERE")) {
            where = conditionExpression();
        }
        List<String> groupBy = new ArrayList<>();
        if (acceptKeyword("GROUP")) {
            expectKeyword("BY");
            groupBy.add(name());
            while (accept(Kind.COMMA)) {
                groupBy.add(name());
            }
        }
        List<SoqlQuery.OrderBy> orderBy = new ArrayList<>();
        if (acceptKeyword("ORDER")) {
            expectKeyword("BY");
            orderBy.add(orderByItem());
            while (accept(Kind.COMMA)) {
                orderBy.add(orderByItem());
            }
        }
        Integer limit = acceptKeyword("LIMIT") ? count() : null;
        Integer offset = acceptKeyword("OFFSET") ? count() : null;

        String text = nested ? soql.substring(start, current().offset()).strip() : soql;
        return new SoqlQuery(text, select.fields, select.aggregates, select.childQueries, select.typeOfFields,
                select.countQuery, objectName, where, groupBy, orderBy, limit, offset);
    }

    /** What the SELECT list holds, sorted by kind. */
    private static final class SelectList {
        final List<String> fields = new ArrayList<>();
        final List<String> aggregates = new ArrayList<>();
        final List<SoqlQuery> childQueries = new ArrayList<>();
        final List<String> typeOfFields = new ArrayList<>();
        boolean countQuery;
        int items;
    }

    private SelectList selectList() {
        SelectList select = new SelectList();
        Token countToken = null;
        do {
            Token item = current();
            if (item.kind() == Kind.LEFT_PAREN && peek(1).isKeyword("SELECT")) {
                advance();
                select.childQueries.add(query(true));
                expect(Kind.RIGHT_PAREN);
            } else if (item.isKeyword("TYPEOF") && isName(peek(1))) {
                select.typeOfFields.add(typeOf());
            } else if (item.kind() == Kind.WORD && peek(1).kind() == Kind.LEFT_PAREN) {
                if (aggregate(select)) {
                    countToken = item;
                }
            } else {
                select.fields.add(name());
            }
            select.items++;
        } while (accept(Kind.COMMA));
        if (countToken != null) {
            if (select.items > 1) {
                throw SoqlException.malformed(soql, countToken.offset(),
                        "COUNT() must be the only element in the SELECT list");
            }
            select.countQuery = true;
        }
        return select;
    }

    /** An aggregate call with an optional alias; true when it is the field-less COUNT(). */
    private boolean aggregate(SelectList select) {
        Token function = advance();
        String upper = function.text().toUpperCase(Locale.ROOT);
        if (!AGGREGATE_FUNCTIONS.contains(upper)) {
            throw SoqlException.malformed(soql, function.offset(),
                    "function '" + function.text() + "' is not supported by the emulator");
        }
        expect(Kind.LEFT_PAREN);
        if (upper.equals("COUNT") && accept(Kind.RIGHT_PAREN)) {
            return true;
        }
        String field = name();
        expect(Kind.RIGHT_PAREN);
        select.aggregates.add(function.text() + "(" + field + ")");
        if (isName(current())) {
            advance();
        }
        return false;
    }

    /** TYPEOF field (WHEN Type THEN fields)+ [ELSE fields] END; returns the polymorphic field. */
    private String typeOf() {
        advance();
        String field = name();
        expectKeyword("WHEN");
        do {
            name();
            expectKeyword("THEN");
            nameList();
        } while (acceptKeyword("WHEN"));
        if (acceptKeyword("ELSE")) {
            nameList();
        }
        expectKeyword("END");
        return field;
    }

    private void nameList() {
        name();
        while (current().kind() == Kind.COMMA && isName(peek(1))) {
            advance();
            name();
        }
    }

    private SoqlQuery.OrderBy orderByItem() {
        String field = name();
        SoqlQuery.Direction direction = SoqlQuery.Direction.ASCENDING;
        if (acceptKeyword("DESC")) {
            direction = SoqlQuery.Direction.DESCENDING;
        } else {
            acceptKeyword("ASC");
        }
        // NULLS FIRST/LAST is read so valid queries parse; the emulator does not model where nulls sort
        if (acceptKeyword("NULLS")) {
            if (!acceptKeyword("FIRST")) {
                expectKeyword("LAST");
            }
        }
        return new SoqlQuery.OrderBy(field, direction);
    }

    /**
     * conditionExpression := NOT simpleCondition | simpleCondition (AND simpleCondition)* | simpleCondition (OR
     * simpleCondition)*
     *
     * <p>Salesforce requires parentheses whenever AND, OR and NOT are mixed, and accepts NOT only where a condition
     * expression starts, so there is no precedence to apply: grouping is always written. A mixed operator is left
     * unread, and whatever must follow (a closing parenthesis, the next clause) reports it, as Salesforce does:
     * "unexpected token: 'OR'".
     */
    private SoqlCondition conditionExpression() {
        if (acceptKeyword("NOT")) {
            return new SoqlCondition.Not(simpleCondition());
        }
        SoqlCondition first = simpleCondition();
        boolean and = current().isKeyword("AND");
        if (!and && !current().isKeyword("OR")) {
            return first;
        }
        String operator = and ? "AND" : "OR";
        List<SoqlCondition> operands = new ArrayList<>();
        operands.add(first);
        while (acceptKeyword(operator)) {
            operands.add(simpleCondition());
        }
        return and ? new SoqlCondition.And(operands) : new SoqlCondition.Or(operands);
    }

    /** simpleCondition := ( conditionExpression ) | field operator literal | field LIKE string | field [NOT] IN (…) */
    private SoqlCondition simpleCondition() {
        if (accept(Kind.LEFT_PAREN)) {
            SoqlCondition inner = conditionExpression();
            expect(Kind.RIGHT_PAREN);
            return inner;
        }
        String field = name();
        Token operator = current();
        if (operator.kind() == Kind.OPERATOR) {
            advance();
            return new SoqlCondition.Comparison(field, SoqlCondition.Operator.ofSymbol(operator.text()), literal());
        }
        if (acceptKeyword("LIKE")) {
            return new SoqlCondition.Like(field, likePattern());
        }
        if (acceptKeyword("IN")) {
            return inList(field, false);
        }
        if (operator.isKeyword("NOT") && peek(1).isKeyword("IN")) {
            advance();
            advance();
            return inList(field, true);
        }
        throw unexpected(operator);
    }

    private SoqlCondition inList(String field, boolean negated) {
        expect(Kind.LEFT_PAREN);
        if (current().isKeyword("SELECT")) {
            SoqlQuery subquery = query(true);
            expect(Kind.RIGHT_PAREN);
            return new SoqlCondition.SemiJoin(field, negated, subquery);
        }
        List<SoqlLiteral> values = new ArrayList<>();
        values.add(literal());
        while (accept(Kind.COMMA)) {
            values.add(literal());
        }
        expect(Kind.RIGHT_PAREN);
        return new SoqlCondition.InList(field, negated, values);
    }

    private String likePattern() {
        Token pattern = current();
        if (pattern.kind() != Kind.STRING) {
            throw unexpected(pattern);
        }
        try {
            SoqlStringEscapes.likePattern(pattern.stringBody());
        } catch (SoqlStringEscapes.IllegalEscape illegal) {
            throw SoqlException.malformed(soql, pattern.offset() + 1 + illegal.index, illegal.getMessage());
        }
        advance();
        return pattern.stringBody();
    }

    private SoqlLiteral literal() {
        Token token = current();
        SoqlLiteral literal;
        switch (token.kind()) {
            case STRING:
                try {
                    literal = SoqlLiteral.text(SoqlStringEscapes.decode(token.stringBody()));
                } catch (SoqlStringEscapes.IllegalEscape illegal) {
                    throw SoqlException.malformed(soql, token.offset() + 1 + illegal.index, illegal.getMessage());
                }
                break;
            case NUMBER:
                literal = SoqlLiteral.number(new BigDecimal(token.text()));
                break;
            case DATE:
                try {
                    literal = SoqlLiteral.date(LocalDate.parse(token.text()));
                } catch (DateTimeParseException invalid) {
                    throw SoqlException.malformed(soql, token.offset(), "invalid date: " + token.text());
                }
                break;
            case DATE_TIME:
                try {
                    literal = SoqlLiteral.dateTime(SoqlLiteral.parseDateTimeLiteral(token.text()));
                } catch (DateTimeParseException invalid) {
                    throw SoqlException.malformed(soql, token.offset(), "invalid date-time: " + token.text()
                            + " (expected YYYY-MM-DDThh:mm:ss with Z or an offset such as +01:00)");
                }
                break;
            case WORD:
                if (token.isKeyword("true") || token.isKeyword("false")) {
                    literal = SoqlLiteral.bool(Boolean.parseBoolean(token.text().toLowerCase(Locale.ROOT)));
                } else if (token.isKeyword("null")) {
                    literal = SoqlLiteral.nullValue();
                } else {
                    throw unexpected(token);
                }
                break;
            default:
                throw unexpected(token);
        }
        advance();
        return literal;
    }

    /** A LIMIT or OFFSET count: a plain non-negative integer. */
    private int count() {
        Token token = current();
        if (token.kind() != Kind.NUMBER || !token.text().matches("\\d+")) {
            throw unexpected(token);
        }
        try {
            advance();
            return Integer.parseInt(token.text());
        } catch (NumberFormatException tooLarge) {
            throw SoqlException.malformed(soql, token.offset(), "number out of range: " + token.text());
        }
    }

    private String name() {
        Token token = current();
        if (!isName(token)) {
            throw unexpected(token);
        }
        advance();
        return token.text();
    }

    private static boolean isName(Token token) {
        return token.kind() == Kind.WORD && !RESERVED.contains(token.text().toUpperCase(Locale.ROOT));
    }

    private Token current() {
        return tokens.get(index);
    }

    private Token peek(int ahead) {
        return tokens.get(Math.min(index + ahead, tokens.size() - 1));
    }

    private Token advance() {
        Token token = current();
        if (token.kind() != Kind.END) {
            index++;
        }
        return token;
    }

    private boolean accept(Kind kind) {
        if (current().kind() == kind) {
            advance();
            return true;
        }
        return false;
    }

    private boolean acceptKeyword(String keyword) {
        if (current().isKeyword(keyword)) {
            advance();
            return true;
        }
        return false;
    }

    private void expect(Kind kind) {
        if (!accept(kind)) {
            throw unexpected(current());
        }
    }

    private void expectKeyword(String keyword) {
        if (!acceptKeyword(keyword)) {
            throw unexpected(current());
        }
    }

    private SoqlException unexpected(Token token) {
        return SoqlException.malformed(soql, token.offset(), "unexpected token: " + token.display());
    }
}
