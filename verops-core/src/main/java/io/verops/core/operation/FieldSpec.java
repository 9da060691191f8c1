package io.verops.core.operation;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One input field of an operation, as its {@code operation.json} declares it.
 *
 * @param caseRule for identifiers: {@code lower}, {@code upper} or {@code preserve}
 * @param dateOrder for dates like 06/01/2026: {@code DMY} or {@code MDY}; null refuses them as ambiguous
 * @param decimalComma for amounts and integers: a comma is the decimal separator ({@code 12,50 EUR}) and a dot
 *                     groups thousands
 * @param currency for amounts: the one currency the field takes (ISO 4217); a value may then omit it. Null
 *                 requires a currency in every value
 * @param minimum for integers and amounts: the smallest value accepted (inclusive), or null
 * @param maximum for integers and amounts: the largest value accepted (inclusive), or null
 */
public record FieldSpec(String name, FieldType type, boolean required, List<String> values, Integer maxLength,
                        Pattern pattern, String caseRule, String dateOrder, boolean decimalComma,
                        String currency, boolean secret, String description, BigDecimal minimum,
                        BigDecimal maximum) {
    public FieldSpec {
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(type, "type == null");
        values = values == null ? List.of() : List.copyOf(values);
    }

    /** A field without bounds. */
    public FieldSpec(String name, FieldType type, boolean required, List<String> values, Integer maxLength,
                     Pattern pattern, String caseRule, String dateOrder, boolean decimalComma,
                     String currency, boolean secret, String description) {
        this(name, type, required, values, maxLength, pattern, caseRule, dateOrder, decimalComma, currency, secret,
                description, null, null);
    }

    /** A field of a type with nothing else declared (tests, programmatic operations). */
    public static FieldSpec of(String name, FieldType type, boolean required) {
        return new FieldSpec(name, type, required, List.of(), null, null,
                type == FieldType.IDENTIFIER ? "preserve" : null, null, false, null, false, null);
    }
}
