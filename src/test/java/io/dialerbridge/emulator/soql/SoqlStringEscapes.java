package io.dialerbridge.emulator.soql;

import java.util.regex.Pattern;

/**
 * The backslash escapes of SOQL string literals, and the translation of LIKE patterns, whose escaped {@code \%} and
 * {@code \_} must stay apart from the wildcards they look like.
 */
final class SoqlStringEscapes {

    /** A backslash sequence SOQL does not define, at {@code index} within the string body. */
    static final class IllegalEscape extends RuntimeException {
        final int index;

        IllegalEscape(int index, String sequence) {
            super("Illegal character sequence '" + sequence + "' in string literal");
            this.index = index;
        }
    }

    private SoqlStringEscapes() {
    }

    /** The text a string body stands for outside LIKE, where {@code \%} and {@code \_} are not allowed. */
    static String decode(String body) {
        StringBuilder text = new StringBuilder(body.length());
        translate(body, false, text, null);
        return text.toString();
    }

    /** A regular expression matching what a LIKE pattern matches, case-insensitively as Salesforce does. */
    static Pattern likePattern(String body) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        translate(body, true, literal, regex);
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL);
    }

    /**
     * Walks the body once. Plain text collects in {@code literal}; when {@code regex} is given, each wildcard flushes
     * the collected text into it, quoted, followed by the wildcard's regex.
     */
    private static void translate(String body, boolean like, StringBuilder literal, StringBuilder regex) {
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (like && (c == '%' || c == '_')) {
                flush(literal, regex);
                regex.append(c == '%' ? ".*" : ".");
            } else if (c != '\\') {
                literal.append(c);
            } else {
                if (i + 1 >= body.length()) {
                    throw new IllegalEscape(i, "\\");
                }
                char escaped = body.charAt(i + 1);
                switch (escaped) {
                    case 'n', 'N' -> literal.append('\n');
                    case 'r', 'R' -> literal.append('\r');
                    case 't', 'T' -> literal.append('\t');
                    case 'b', 'B' -> literal.append('\b');
                    case 'f', 'F' -> literal.append('\f');
                    case '"', '\'', '\\' -> literal.append(escaped);
                    case 'u' -> {
                        String hex = body.length() >= i + 6 ? body.substring(i + 2, i + 6) : "";
                        if (!hex.matches("[0-9A-Fa-f]{4}")) {
                            throw new IllegalEscape(i, body.substring(i, Math.min(body.length(), i + 6)));
                        }
                        literal.append((char) Integer.parseInt(hex, 16));
                        i += 4;
                    }
                    case '%', '_' -> {
                        if (!like) {
                            throw new IllegalEscape(i, "\\" + escaped);
                        }
                        literal.append(escaped);
                    }
                    default -> throw new IllegalEscape(i, "\\" + escaped);
                }
                i++;
            }
        }
        if (regex != null) {
            flush(literal, regex);
        }
    }

    private static void flush(StringBuilder literal, StringBuilder regex) {
        if (literal.length() > 0) {
            regex.append(Pattern.quote(literal.toString()));
            literal.setLength(0);
        }
    }
}
