package io.verops.core.operation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * A read-only SQLite query with named parameters ({@code :email}), as a post-condition declares it. Parameters are
 * found by reading the SQL as SQLite does (string literals, quoted identifiers and comments are skipped), and
 * bound as SQL string literals with their quotes doubled: a value is always data, never part of the syntax.
 */
public final class SqlTemplate {
    private final String text;
    /** Literal SQL and parameter names, alternating: even indexes are SQL, odd ones parameter names. */
    private final List<String> parts;

    private SqlTemplate(String text, List<String> parts) {
        this.text = text;
        this.parts = List.copyOf(parts);
    }

    /** Reads a query; fails with every problem, each saying what to write instead. */
    public static SqlTemplate of(String text) {
        List<String> problems = new ArrayList<>();
        SqlTemplate t = parse(text, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return t;
    }

    /** The problems of a query, empty when it is usable. */
    static List<String> problems(String text) {
        List<String> problems = new ArrayList<>();
        parse(text, problems);
        return problems;
    }

    public String text() {
        return text;
    }

    /** The names of its parameters, in order of first use. */
    public Set<String> parameters() {
        Set<String> names = new LinkedHashSet<>();
        for (int i = 1; i < parts.size(); i += 2) {
            names.add(parts.get(i));
        }
        return Collections.unmodifiableSet(names);
    }

    /**
     * The query with each parameter replaced by its value as an SQL string literal ({@code NULL} for null).
     *
     * @throws IllegalArgumentException when a value holds a NUL character (it cannot be passed to sqlite3)
     */
    public String bind(Function<String, String> valueOf) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            sb.append(i % 2 == 0 ? parts.get(i) : literal(valueOf.apply(parts.get(i))));
        }
        return sb.toString();
    }

    /** A value as an SQL string literal: single quotes around it, each quote inside doubled. */
    public static String literal(String value) {
        if (value == null) {
            return "NULL";
        }
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a value holds a NUL character, which cannot be passed to sqlite3");
        }
        return "'" + value.replace("'", "''") + "'";
    }

    @Override
    public String toString() {
        return text;
    }

    private static SqlTemplate parse(String text, List<String> problems) {
        List<String> parts = new ArrayList<>();
        if (text == null || text.isBlank()) {
            problems.add("the query is empty");
            return new SqlTemplate("", List.of(""));
        }
        StringBuilder sql = new StringBuilder();
        int n = text.length();
        int i = 0;
        boolean sawStatementEnd = false;
        String firstWord = null;
        while (i < n) {
            char c = text.charAt(i);
            if (sawStatementEnd && !Character.isWhitespace(c) && !startsComment(text, i)) {
                problems.add("the query holds more than one statement (only one SELECT is allowed)");
                break;
            }
            if (c == '\'' || c == '"' || c == '`' || c == '[') {
                char close = c == '[' ? ']' : c;
                int end = i + 1;
                while (true) {
                    end = text.indexOf(close, end);
                    if (end < 0) {
                        break;
                    }
                    if (close != ']' && end + 1 < n && text.charAt(end + 1) == close) {
                        end += 2; // a doubled quote inside the literal
                        continue;
                    }
                    break;
                }
                if (end < 0) {
                    problems.add("a " + (c == '\'' ? "string literal" : "quoted identifier") + " starting at offset "
                            + i + " is not closed");
                    sql.append(text, i, n);
                    i = n;
                } else {
                    sql.append(text, i, end + 1);
                    i = end + 1;
                }
            } else if (c == '-' && i + 1 < n && text.charAt(i + 1) == '-') {
                int end = text.indexOf('\n', i);
                end = end < 0 ? n : end;
                sql.append(text, i, end);
                i = end;
            } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
                int end = text.indexOf("*/", i + 2);
                if (end < 0) {
                    problems.add("a comment starting at offset " + i + " is not closed");
                    sql.append(text, i, n);
                    i = n;
                } else {
                    sql.append(text, i, end + 2);
                    i = end + 2;
                }
            } else if (c == ':' && i + 1 < n && isNameStart(text.charAt(i + 1))) {
                int end = i + 1;
                while (end < n && isNamePart(text.charAt(end))) {
                    end++;
                }
                parts.add(sql.toString());
                sql.setLength(0);
                parts.add(text.substring(i + 1, end));
                i = end;
            } else if (c == '?' || ((c == '@' || c == '$') && i + 1 < n && isNameStart(text.charAt(i + 1)))) {
                problems.add("parameter '" + c + "' at offset " + i + ": write named parameters as :field");
                sql.append(c);
                i++;
            } else if (c == ';') {
                sawStatementEnd = true;
                sql.append(c);
                i++;
            } else if (isNameStart(c)) {
                int end = i;
                while (end < n && isNamePart(text.charAt(end))) {
                    end++;
                }
                if (firstWord == null) {
                    firstWord = text.substring(i, end).toUpperCase(Locale.ROOT);
                }
                sql.append(text, i, end);
                i = end;
            } else {
                sql.append(c);
                i++;
            }
        }
        parts.add(sql.toString());
        if (firstWord == null || !(firstWord.equals("SELECT") || firstWord.equals("WITH"))) {
            problems.add("the query must be a read-only query beginning with SELECT or WITH (found "
                    + (firstWord == null ? "no keyword" : "'" + firstWord + "'") + ")");
        }
        return new SqlTemplate(text, parts);
    }

    private static boolean startsComment(String text, int i) {
        return i + 1 < text.length() && (text.startsWith("--", i) || text.startsWith("/*", i));
    }

    private static boolean isNameStart(char c) {
        return c == '_' || (c < 128 && Character.isLetter(c));
    }

    private static boolean isNamePart(char c) {
        return isNameStart(c) || (c >= '0' && c <= '9');
    }
}
