package io.verops.ingest;

import io.verops.core.operation.FieldSpec;
import java.math.BigInteger;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns a raw value into its canonical form for its declared type, or says why it cannot. Never guesses: a
 * value that could mean two things is refused. The value given is already known to be non-blank.
 */
public final class FieldNormalizers {
    private static final Pattern EMAIL_LOCAL = Pattern.compile("^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+$");
    private static final Pattern EMAIL_DOMAIN = Pattern.compile(
            "^(?=.{1,253}$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}$");
    private static final Pattern INTEGER = Pattern.compile("^[+-]?[0-9]+$");

    private FieldNormalizers() {
    }

    public static Normalized normalize(FieldSpec spec, String raw) {
        String v = raw.strip();
        Normalized n = switch (spec.type()) {
            case STRING -> Normalized.ok(v);
            case EMAIL -> email(v);
            case ENUM -> enumValue(spec, v);
            case INTEGER -> integer(v);
            case IDENTIFIER -> identifier(spec, v);
            case DATE, DATETIME, AMOUNT -> TemporalAndAmounts.normalize(spec, v);
        };
        if (!n.isValid()) {
            return n;
        }
        if (spec.maxLength() != null && n.value().codePointCount(0, n.value().length()) > spec.maxLength()) {
            return Normalized.invalid("longer than " + spec.maxLength() + " characters ("
                    + n.value().codePointCount(0, n.value().length()) + ")");
        }
        if (spec.pattern() != null && !spec.pattern().matcher(n.value()).matches()) {
            return Normalized.invalid("'" + shorten(n.value()) + "' does not match the pattern " + spec.pattern().pattern());
        }
        return n;
    }

    static Normalized email(String v) {
        int at = v.lastIndexOf('@');
        if (at <= 0 || at == v.length() - 1 || v.indexOf('@') != at) {
            return Normalized.invalid("'" + shorten(v) + "' is not an email address");
        }
        String local = v.substring(0, at);
        String domain = v.substring(at + 1).toLowerCase(Locale.ROOT);
        if (local.length() > 64 || !EMAIL_LOCAL.matcher(local).matches() || local.startsWith(".")
                || local.endsWith(".") || local.contains("..") || !EMAIL_DOMAIN.matcher(domain).matches()) {
            return Normalized.invalid("'" + shorten(v) + "' is not an email address");
        }
        return Normalized.ok(local + "@" + domain);
    }

    static Normalized enumValue(FieldSpec spec, String v) {
        for (String allowed : spec.values()) {
            if (allowed.equalsIgnoreCase(v)) {
                return Normalized.ok(allowed);
            }
        }
        return Normalized.invalid("'" + shorten(v) + "' is not one of " + String.join(", ", spec.values()));
    }

    static Normalized integer(String v) {
        String digits = v.replace("_", "");
        if (!INTEGER.matcher(digits).matches()) {
            return Normalized.invalid("'" + shorten(v) + "' is not an integer");
        }
        return Normalized.ok(new BigInteger(digits).toString());
    }

    static Normalized identifier(FieldSpec spec, String v) {
        if (v.chars().anyMatch(Character::isWhitespace)) {
            return Normalized.invalid("'" + shorten(v) + "' is not an identifier (it contains whitespace)");
        }
        String rule = spec.caseRule() == null ? "preserve" : spec.caseRule();
        return Normalized.ok(switch (rule) {
            case "lower" -> v.toLowerCase(Locale.ROOT);
            case "upper" -> v.toUpperCase(Locale.ROOT);
            default -> v;
        });
    }

    static String shorten(String v) {
        return v.length() <= 80 ? v : v.substring(0, 77) + "...";
    }
}
