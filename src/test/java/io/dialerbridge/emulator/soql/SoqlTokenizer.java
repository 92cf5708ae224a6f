package io.dialerbridge.emulator.soql;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits SOQL text into the tokens {@link SoqlParser} reads, keeping each token's offset for error messages.
 */
final class SoqlTokenizer {

    enum Kind {
        /** A name or keyword; relationship paths such as {@code Owner.Name} are one word. */
        WORD,
        /** A single-quoted string; the text keeps its quotes and escapes as written. */
        STRING,
        NUMBER,
        DATE,
        DATE_TIME,
        /** One of {@code = != <> < <= > >=}. */
        OPERATOR,
        LEFT_PAREN,
        RIGHT_PAREN,
        COMMA,
        /** A character SOQL has no use for here; the parser reports it as an unexpected token. */
        OTHER,
        END
    }

    record Token(Kind kind, String text, int offset) {

        boolean isKeyword(String keyword) {
            return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
        }

        /** The body of a string token, between its quotes and still escaped. */
        String stringBody() {
            return text.substring(1, text.length() - 1);
        }

        /** How Salesforce names the token in "unexpected token" messages. */
        String display() {
            return kind == Kind.END ? "<EOF>" : "'" + text + "'";
        }
    }

    private final String soql;
    private int position;

    private SoqlTokenizer(String soql) {
        this.soql = soql;
    }

    static List<Token> tokenize(String soql) {
        return new SoqlTokenizer(soql).readAll();
    }

    private List<Token> readAll() {
        List<Token> tokens = new ArrayList<>();
        while (true) {
            skipWhitespace();
            if (position >= soql.length()) {
                tokens.add(new Token(Kind.END, "", soql.length()));
                return tokens;
            }
            tokens.add(next());
        }
    }

    private Token next() {
        int start = position;
        char c = soql.charAt(position);
        if (Character.isLetter(c) || c == '_') {
            return word(start);
        }
        if (c == '\'') {
            return string(start);
        }
        if (isDigit(c) || ((c == '-' || c == '+') && isDigit(peek(1)))) {
            return isDateAhead() ? dateOrDateTime(start) : number(start);
        }
        switch (c) {
            case '(':
                position++;
                return new Token(Kind.LEFT_PAREN, "(", start);
            case ')':
                position++;
                return new Token(Kind.RIGHT_PAREN, ")", start);
            case ',':
                position++;
                return new Token(Kind.COMMA, ",", start);
            case '=':
                position++;
                return new Token(Kind.OPERATOR, "=", start);
            case '!':
                if (peek(1) == '=') {
                    position += 2;
                    return new Token(Kind.OPERATOR, "!=", start);
                }
                break;
            case '<':
                position += (peek(1) == '=' || peek(1) == '>') ? 2 : 1;
                return new Token(Kind.OPERATOR, soql.substring(start, position), start);
            case '>':
                position += peek(1) == '=' ? 2 : 1;
                return new Token(Kind.OPERATOR, soql.substring(start, position), start);
            default:
                break;
        }
        position++;
        return new Token(Kind.OTHER, String.valueOf(c), start);
    }

    private Token word(int start) {
        while (position < soql.length()) {
            char c = soql.charAt(position);
            if (Character.isLetterOrDigit(c) || c == '_') {
                position++;
            } else if (c == '.' && (Character.isLetter(peek(1)) || peek(1) == '_')) {
                position++;
            } else {
                break;
            }
        }
        return new Token(Kind.WORD, soql.substring(start, position), start);
    }

    private Token string(int start) {
        position++;
        while (position < soql.length()) {
            char c = soql.charAt(position);
            if (c == '\\') {
                // the escape itself is checked by SoqlStringEscapes; here it only must not end the string
                position += 2;
            } else if (c == '\'') {
                position++;
                return new Token(Kind.STRING, soql.substring(start, position), start);
            } else {
                position++;
            }
        }
        throw SoqlException.malformed(soql, start, "unterminated string literal: missing closing quote");
    }

    private Token number(int start) {
        position++;
        while (isDigit(peek(0))) {
            position++;
        }
        if (peek(0) == '.' && isDigit(peek(1))) {
            position++;
            while (isDigit(peek(0))) {
                position++;
            }
        }
        return new Token(Kind.NUMBER, soql.substring(start, position), start);
    }

    /** Dates are YYYY-MM-DD; date-times go on with T, a time, and an offset, all without spaces. */
    private Token dateOrDateTime(int start) {
        position += 10;
        while (position < soql.length() && "0123456789TtZz:.+-".indexOf(soql.charAt(position)) >= 0) {
            position++;
        }
        Kind kind = position - start == 10 ? Kind.DATE : Kind.DATE_TIME;
        return new Token(kind, soql.substring(start, position), start);
    }

    private boolean isDateAhead() {
        if (position + 10 > soql.length()) {
            return false;
        }
        String head = soql.substring(position, position + 10);
        return head.matches("\\d{4}-\\d{2}-\\d{2}");
    }

    private void skipWhitespace() {
        while (position < soql.length() && Character.isWhitespace(soql.charAt(position))) {
            position++;
        }
    }

    private char peek(int ahead) {
        int index = position + ahead;
        return index < soql.length() ? soql.charAt(index) : '\0';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
