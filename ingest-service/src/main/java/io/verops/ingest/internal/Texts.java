package io.verops.ingest.internal;

import io.verops.core.operation.FieldSpec;
import io.verops.ingest.Normalized;
import java.text.Normalizer;
import java.util.Locale;

/** Emails, identifiers, enum values and free text. */
public final class Texts {
    private static final int MAX_LOCAL = 64;
    private static final int MAX_DOMAIN = 253;
    private static final String ATEXT_SPECIALS = "!#$%&'*+/=?^_`{|}~-";

    private Texts() {
    }

    /**
     * An address {@code local@domain}: the local part as given (it may be case-sensitive), the domain lower-cased.
     * Only plain ASCII addresses are taken: no display name, no quoted local part, no IP literal.
     */
    public static Normalized email(String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                return invalidEmail(v, "contains a space or a control character");
            }
            if (c == '<' || c == '>') {
                return invalidEmail(v, "give the address only, without a display name or angle brackets");
            }
            if (c > 0x7e) {
                return invalidEmail(v, "non-ASCII characters are not accepted; give an internationalised domain "
                        + "in its xn-- form");
            }
        }
        if (v.regionMatches(true, 0, "mailto:", 0, 7)) {
            return invalidEmail(v, "give the address without 'mailto:'");
        }
        int at = v.lastIndexOf('@');
        if (at < 0) {
            return invalidEmail(v, "no '@'");
        }
        if (v.indexOf('@') != at) {
            return invalidEmail(v, "more than one '@'");
        }
        if (at == 0) {
            return invalidEmail(v, "nothing before the '@'");
        }
        if (at == v.length() - 1) {
            return invalidEmail(v, "no domain after the '@'");
        }
        String local = v.substring(0, at);
        String domain = v.substring(at + 1);
        String localProblem = localPartProblem(local);
        if (localProblem != null) {
            return invalidEmail(v, localProblem);
        }
        String domainProblem = domainProblem(domain);
        if (domainProblem != null) {
            return invalidEmail(v, domainProblem);
        }
        return Normalized.ok(local + "@" + domain.toLowerCase(Locale.ROOT));
    }

    private static String localPartProblem(String local) {
        if (local.length() > MAX_LOCAL) {
            return "the part before '@' is longer than " + MAX_LOCAL + " characters";
        }
        if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
            return "a dot cannot start or end the part before '@', nor follow another dot";
        }
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (!(isAsciiLetterOrDigit(c) || c == '.' || ATEXT_SPECIALS.indexOf(c) >= 0)) {
                return "'" + c + "' is not allowed before the '@'";
            }
        }
        return null;
    }

    private static String domainProblem(String domain) {
        if (domain.length() > MAX_DOMAIN) {
            return "the domain is longer than " + MAX_DOMAIN + " characters";
        }
        String[] labels = domain.split("\\.", -1);
        if (labels.length < 2) {
            return "the domain '" + domain + "' has no dot (a top-level domain alone is not accepted)";
        }
        for (String label : labels) {
            if (label.isEmpty()) {
                return "the domain '" + domain + "' has an empty label (two dots, or a dot at an end)";
            }
            if (label.length() > 63) {
                return "a label of the domain is longer than 63 characters";
            }
            if (label.startsWith("-") || label.endsWith("-")) {
                return "a label of the domain cannot start or end with '-'";
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!(isAsciiLetterOrDigit(c) || c == '-')) {
                    return "'" + c + "' is not allowed in the domain";
                }
            }
        }
        String tld = labels[labels.length - 1];
        boolean letters = tld.length() >= 2;
        for (int i = 0; i < tld.length() && letters; i++) {
            char c = tld.charAt(i);
            letters = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        }
        if (!letters && !tld.regionMatches(true, 0, "xn--", 0, 4)) {
            return "the top-level domain '" + tld + "' is not letters";
        }
        return null;
    }

    /** Trimmed, Unicode NFC, cased per the field's rule; no whitespace or control characters inside. */
    public static Normalized identifier(FieldSpec spec, String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                return Normalized.invalid("invalid identifier " + Shown.quoted(v) + ": contains whitespace");
            }
            if (Character.isISOControl(c)) {
                return Normalized.invalid("invalid identifier " + Shown.quoted(v) + ": contains a control character");
            }
        }
        boolean below0300 = true; // text below U+0300 (no combining marks) is always in NFC
        for (int i = 0; i < v.length() && below0300; i++) {
            below0300 = v.charAt(i) < 0x300;
        }
        String s = below0300 || Normalizer.isNormalized(v, Normalizer.Form.NFC) ? v
                : Normalizer.normalize(v, Normalizer.Form.NFC);
        String rule = spec.caseRule() == null ? "preserve" : spec.caseRule();
        return Normalized.ok(switch (rule) {
            case "lower" -> s.toLowerCase(Locale.ROOT);
            case "upper" -> s.toUpperCase(Locale.ROOT);
            default -> s;
        });
    }

    /** The canonical spelling of the declared value that matches case-insensitively. */
    public static Normalized enumValue(FieldSpec spec, String v) {
        for (String allowed : spec.values()) {
            if (allowed.equals(v)) {
                return Normalized.ok(allowed);
            }
        }
        for (String allowed : spec.values()) {
            if (allowed.equalsIgnoreCase(v)) {
                return Normalized.ok(allowed);
            }
        }
        return Normalized.invalid("invalid value " + Shown.quoted(v) + ": not one of " + String.join(", ", spec.values()));
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static Normalized invalidEmail(String v, String why) {
        return Normalized.invalid("invalid email " + Shown.quoted(v) + ": " + why);
    }
}
