package io.verops.ingest;

import io.verops.core.operation.FieldSpec;
import io.verops.ingest.internal.Dates;
import io.verops.ingest.internal.Numbers;
import io.verops.ingest.internal.Shown;
import io.verops.ingest.internal.Texts;

/**
 * Turns a raw value into its canonical form for its declared type, or says why it cannot. Never guesses: a
 * value that could mean two things is refused. Surrounding whitespace is always removed first; the value
 * given must not be blank (a blank value is "missing", decided by the caller).
 *
 * <table>
 *   <caption>Canonical forms</caption>
 *   <tr><td>string</td><td>trimmed</td></tr>
 *   <tr><td>email</td><td>trimmed, domain lower-cased</td></tr>
 *   <tr><td>enum</td><td>the declared spelling</td></tr>
 *   <tr><td>identifier</td><td>trimmed, Unicode NFC, cased per {@code case}</td></tr>
 *   <tr><td>integer</td><td>plain digits with an optional '-'</td></tr>
 *   <tr><td>date</td><td>{@code 2026-06-01}</td></tr>
 *   <tr><td>datetime</td><td>{@code 2026-06-01T10:00:00Z} (UTC; fractions of a second kept)</td></tr>
 *   <tr><td>amount</td><td>{@code 1000.50 USD}: the currency's number of decimals, then its ISO 4217 code</td></tr>
 * </table>
 */
public final class FieldNormalizers {
    private FieldNormalizers() {
    }

    public static Normalized normalize(FieldSpec spec, String raw) {
        Normalized n = normalizeShown(spec, raw);
        if (spec.secret() && !n.isValid()) {
            String v = raw.strip();
            return Normalized.invalid(n.problem().replace(Shown.quoted(v), SECRET).replace(Shown.quoted(raw), SECRET));
        }
        return n;
    }

    /** What a secret field's value is replaced with in messages and in the record of normalisation changes. */
    public static final String SECRET = "(secret value)";

    private static Normalized normalizeShown(FieldSpec spec, String raw) {
        String v = raw.strip();
        if (v.isEmpty()) {
            return Normalized.invalid("missing");
        }
        Normalized n = switch (spec.type()) {
            case STRING -> Normalized.ok(v);
            case EMAIL -> Texts.email(v);
            case ENUM -> Texts.enumValue(spec, v);
            case INTEGER -> Numbers.integer(v, spec);
            case IDENTIFIER -> Texts.identifier(spec, v);
            case DATE -> Dates.date(v, spec.dateOrder());
            case DATETIME -> Dates.dateTime(v);
            case AMOUNT -> Numbers.amount(v, spec);
        };
        if (!n.isValid()) {
            return n;
        }
        if (spec.maxLength() != null) {
            int length = n.value().codePointCount(0, n.value().length());
            if (length > spec.maxLength()) {
                return Normalized.invalid("too long: " + length + " characters, at most " + spec.maxLength());
            }
        }
        if (spec.pattern() != null && !spec.pattern().matcher(n.value()).matches()) {
            return Normalized.invalid((spec.secret() ? SECRET : Shown.quoted(n.value())) + " does not match the pattern "
                    + spec.pattern().pattern());
        }
        return n;
    }
}
