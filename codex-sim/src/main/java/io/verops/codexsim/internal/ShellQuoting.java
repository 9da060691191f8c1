package io.verops.codexsim.internal;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Quoting so that values from a batch never change the meaning of a command: every shell argument is one
 * single-quoted bash word, and every SQL value is one SQL string literal.
 */
public final class ShellQuoting {

    private ShellQuoting() {
    }

    /**
     * One single-quoted bash word: {@code it's} becomes {@code 'it'\''s'}. Inside single quotes bash expands
     * nothing ({@code $(...)}, backticks, {@code "}, {@code \}, newlines are literal), so the only character to
     * handle is the single quote itself, which ends the quote, is escaped, and reopens it.
     *
     * @throws IllegalArgumentException if the value contains a NUL character (it cannot be passed to a process)
     */
    public static String shellWord(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a NUL character cannot be passed as a shell argument");
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }

    /** Joins the arguments into one command line, each as a single-quoted bash word. */
    public static String command(String... argv) {
        return Arrays.stream(argv).map(ShellQuoting::shellWord).collect(Collectors.joining(" "));
    }

    /** One SQL string literal ({@code '} doubled), or {@code NULL} for {@code null}. */
    public static String sqlLiteral(String value) {
        return value == null ? "NULL" : "'" + value.replace("'", "''") + "'";
    }

    /**
     * A path argument that cannot be mistaken for an option of the called program: relative paths starting
     * with {@code -} get a {@code ./} prefix.
     */
    public static String pathArgument(String path) {
        return path.startsWith("-") ? "./" + path : path;
    }
}
