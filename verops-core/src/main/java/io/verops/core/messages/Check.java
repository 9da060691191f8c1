package io.verops.core.messages;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Objects;

/** One verification check of an item: its name, its outcome and why. */
public record Check(String name, Outcome outcome, String detail) {
    public Check {
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(outcome, "outcome == null");
    }

    public static Check pass(String name, String detail) {
        return new Check(name, Outcome.PASS, detail);
    }

    public static Check fail(String name, String detail) {
        return new Check(name, Outcome.FAIL, detail);
    }

    public static Check notRun(String name, String detail) {
        return new Check(name, Outcome.NOT_RUN, detail);
    }

    public boolean failed() {
        return outcome == Outcome.FAIL;
    }

    public enum Outcome {
        PASS, FAIL, NOT_RUN;

        @JsonValue
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Outcome fromWire(String v) {
            return valueOf(v.toUpperCase(Locale.ROOT));
        }
    }
}
