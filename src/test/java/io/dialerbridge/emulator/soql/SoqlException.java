package io.dialerbridge.emulator.soql;

/**
 * A query the emulator refuses, carrying the Salesforce error code the REST layer puts in its error body.
 */
public class SoqlException extends RuntimeException {

    public static final String MALFORMED_QUERY = "MALFORMED_QUERY";
    public static final String INVALID_FIELD = "INVALID_FIELD";

    private final String errorCode;

    public SoqlException(String errorCode, String message) {
        super(message);
        this.errorCode = errorCode;
    }

    /** The Salesforce errorCode, such as {@code MALFORMED_QUERY}. */
    public String errorCode() {
        return errorCode;
    }

    /**
     * A syntax error laid out as Salesforce lays it out: the offending line, a caret under the offending position,
     * its row and column, then what went wrong.
     */
    static SoqlException malformed(String soql, int offset, String detail) {
        int lineStart = soql.lastIndexOf('\n', offset - 1) + 1;
        int lineEnd = soql.indexOf('\n', offset);
        String line = soql.substring(lineStart, lineEnd < 0 ? soql.length() : lineEnd).stripTrailing();
        int row = 1;
        for (int i = 0; i < lineStart; i++) {
            if (soql.charAt(i) == '\n') {
                row++;
            }
        }
        int column = offset - lineStart + 1;
        StringBuilder caret = new StringBuilder();
        for (int i = lineStart; i < offset; i++) {
            // keep tabs so the caret lines up under a tab-indented query
            caret.append(soql.charAt(i) == '\t' ? '\t' : ' ');
        }
        caret.append('^');
        return new SoqlException(MALFORMED_QUERY,
                line + "\n" + caret + "\nERROR at Row:" + row + ":Column:" + column + "\n" + detail);
    }
}
