package io.verops.core.operation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks that a policy pattern means the same thing to Java and to the POSIX extended regular expressions (ERE)
 * that the hook script matches it with (bash's {@code [[ =~ ]]}): it must compile in Java and use no construct
 * that only one of the two knows ({@code \d}, {@code \b}, lookaround, lazy quantifiers, a backslash inside
 * brackets...). Each problem says what to write instead.
 */
final class PortablePattern {
    private static final Map<Character, String> CLASS_HINTS = Map.of(
            'd', "[[:digit:]]", 'D', "[^[:digit:]]", 's', "[[:space:]]", 'S', "[^[:space:]]",
            'w', "[[:alnum:]_]", 'W', "[^[:alnum:]_]", 'b', "(^|[^[:alnum:]_]) before and ([^[:alnum:]_]|$) after the word");

    private PortablePattern() {
    }

    /** The problems of one pattern, empty when it is portable. */
    static List<String> problems(String regex) {
        List<String> problems = new ArrayList<>();
        if (regex == null || regex.isEmpty()) {
            problems.add("the pattern is empty");
            return problems;
        }
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' || c == 0x7f) {
                problems.add("it contains the control character U+" + String.format("%04X", (int) c));
                return problems;
            }
        }
        try {
            Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            problems.add(e.getDescription() + " near index " + e.getIndex());
            return problems;
        }
        int i = 0;
        int n = regex.length();
        while (i < n) {
            char c = regex.charAt(i);
            if (c == '\\') {
                char next = regex.charAt(i + 1); // compiles, so a trailing backslash cannot happen
                if (Character.isLetterOrDigit(next)) {
                    String hint = CLASS_HINTS.get(next);
                    problems.add("'\\" + next + "' is not POSIX ERE" + (hint != null ? ": write " + hint
                            : Character.isDigit(next) ? ": back-references are not supported"
                            : ": escape only punctuation (e.g. \\. or \\$)"));
                }
                i += 2;
            } else if (c == '(' && i + 1 < n && regex.charAt(i + 1) == '?') {
                problems.add("'(?' groups (lookaround, flags, non-capturing) are not POSIX ERE; matching is "
                        + "always case-insensitive, and a rule's 'unless' pattern replaces a negative lookahead");
                i += 2;
            } else if ((c == '*' || c == '+' || c == '?' || c == '}') && i + 1 < n
                    && (regex.charAt(i + 1) == '?' || regex.charAt(i + 1) == '+')) {
                problems.add("'" + c + regex.charAt(i + 1) + "': lazy and possessive quantifiers are not POSIX ERE");
                i += 2;
            } else if (c == '[') {
                i = bracket(regex, i, problems);
            } else {
                i++;
            }
        }
        return List.copyOf(new java.util.LinkedHashSet<>(problems));
    }

    /** Checks a bracket expression starting at {@code start}; returns the index after its closing ']'. */
    private static int bracket(String regex, int start, List<String> problems) {
        int n = regex.length();
        int i = start + 1;
        if (i < n && regex.charAt(i) == '^') {
            i++;
        }
        if (i < n && regex.charAt(i) == ']') {
            i++;
        }
        while (i < n) {
            char c = regex.charAt(i);
            if (c == ']') {
                return i + 1;
            }
            if (c == '[' && i + 1 < n && ":=.".indexOf(regex.charAt(i + 1)) >= 0) {
                int end = regex.indexOf(regex.charAt(i + 1) + "]", i + 2);
                if (end < 0) {
                    problems.add("unterminated '[" + regex.charAt(i + 1) + "' inside a bracket expression");
                    return n;
                }
                i = end + 2;
                continue;
            }
            if (c == '\\') {
                problems.add("inside [...] a backslash is a literal character in POSIX ERE: put ']' first and '-' "
                        + "last instead of escaping them, or use a class such as [[:space:]]");
                return skipTo(regex, i, n);
            }
            if (c == '&' && i + 1 < n && regex.charAt(i + 1) == '&') {
                problems.add("'&&' inside [...] (a Java class intersection) is not POSIX ERE");
                return skipTo(regex, i, n);
            }
            if (c == '[') {
                problems.add("a '[' inside [...] is a nested class in Java but a literal in POSIX ERE; match it "
                        + "outside brackets as \\[ instead");
                return skipTo(regex, i, n);
            }
            i++;
        }
        return n;
    }

    private static int skipTo(String regex, int i, int n) {
        int end = regex.indexOf(']', i + 1);
        return end < 0 ? n : end + 1;
    }
}
