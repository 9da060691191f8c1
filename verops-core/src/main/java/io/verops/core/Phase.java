package io.verops.core;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The two phases of a batch: a dry run that changes nothing, then the apply. */
public enum Phase {
    DRY_RUN, APPLY;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Phase fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
