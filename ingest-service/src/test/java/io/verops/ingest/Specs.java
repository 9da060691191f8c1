package io.verops.ingest;

import io.verops.core.operation.FieldSpec;
import io.verops.core.operation.FieldType;
import java.math.BigDecimal;
import java.util.List;
import java.util.regex.Pattern;

/** Field declarations for tests, built the way operation.json declares them. */
final class Specs {
    private Specs() {
    }

    static FieldSpec of(FieldType type) {
        return FieldSpec.of("f", type, true);
    }

    static FieldSpec date(String order) {
        return new FieldSpec("f", FieldType.DATE, true, List.of(), null, null, null, order, false, null, false, null);
    }

    static FieldSpec amount(String currency, boolean decimalComma) {
        return new FieldSpec("f", FieldType.AMOUNT, true, List.of(), null, null, null, null, decimalComma, currency,
                false, null);
    }

    static FieldSpec bounded(FieldType type, String min, String max) {
        return new FieldSpec("f", type, true, List.of(), null, null, null, null, false, null, false, null,
                min == null ? null : new BigDecimal(min), max == null ? null : new BigDecimal(max));
    }

    static FieldSpec integer(boolean decimalComma) {
        return new FieldSpec("f", FieldType.INTEGER, true, List.of(), null, null, null, null, decimalComma, null,
                false, null);
    }

    static FieldSpec identifier(String caseRule) {
        return new FieldSpec("f", FieldType.IDENTIFIER, true, List.of(), null, null, caseRule, null, false, null,
                false, null);
    }

    static FieldSpec enumOf(String... values) {
        return new FieldSpec("f", FieldType.ENUM, true, List.of(values), null, null, null, null, false, null, false,
                null);
    }

    static FieldSpec string(Integer maxLength, String pattern) {
        return new FieldSpec("f", FieldType.STRING, true, List.of(), maxLength,
                pattern == null ? null : Pattern.compile(pattern), null, null, false, null, false, null);
    }

    static FieldSpec secret(FieldType type) {
        return new FieldSpec("f", type, true, List.of(), null, null, null, null, false, null, true, null);
    }
}
