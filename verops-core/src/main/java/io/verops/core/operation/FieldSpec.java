package io.verops.core.operation;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One input field of an operation, as its {@code operation.json} declares it.
 *
 * @param caseRule for identifiers: {@code lower}, {@code upper} or {@code preserve}
 * @param dateOrder for dates like 06/01/2026: {@code DMY} or {@code MDY}; null refuses them as ambiguous
 * @param decimalComma for amounts: a comma is the decimal separator ({@code 12,50 EUR})
 * @param currency for amounts: the currency when the value names none; null requires one in the value
 */
public record FieldSpec(String name, FieldType type, boolean required, List<String> values, Integer maxLength,
                        Pattern pattern, String caseRule, String dateOrder, boolean decimalComma,
                        String currency, boolean secret, String description) {
    public FieldSpec {
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(type, "type == null");
        values = values == null ? List.of() : List.copyOf(values);
    }
}
