package io.verops.core.operation;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The types an operation may declare for an input field. */
public enum FieldType {
    STRING, EMAIL, ENUM, DATE, DATETIME, INTEGER, AMOUNT, IDENTIFIER;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static FieldType fromWire(String value) {
        for (FieldType t : values()) {
            if (t.wire().equals(value)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown field type '" + value + "' (known: " + known() + ")");
    }

    public static String known() {
        return Arrays.stream(values()).map(FieldType::wire).collect(Collectors.joining(", "));
    }
}
