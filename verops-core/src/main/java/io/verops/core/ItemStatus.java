package io.verops.core;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where an item of a batch ended. The words are those of the report schema. */
public enum ItemStatus {
    SUCCESS, FAILURE, SKIPPED, NEEDS_INPUT, INDETERMINATE;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ItemStatus fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
