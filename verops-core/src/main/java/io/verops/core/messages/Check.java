package io.verops.core.messages;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One verification check of an item: its name, its outcome and why, and what it looked at (omitted from JSON
 * when nothing: e.g. each post-condition's command with the expected and observed values).
 */
public record Check(String name, Outcome outcome, String detail,
                    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Observation> observations) {
    public Check {
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(outcome, "outcome == null");
        observations = observations == null ? List.of() : List.copyOf(observations);
    }

    public Check(String name, Outcome outcome, String detail) {
        this(name, outcome, detail, List.of());
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

    /** This check with what it looked at. */
    public Check withObservations(List<Observation> list) {
        return new Check(name, outcome, detail, list);
    }

    /**
     * One thing a check looked at: a command verops ran (or read from the evidence), the value it expected and
     * the value it found.
     */
    public record Observation(String name, String command, String expected, String observed, Outcome outcome) {
        public Observation {
            Objects.requireNonNull(name, "name == null");
            Objects.requireNonNull(outcome, "outcome == null");
        }
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
