package io.verops.ingest;

/** The outcome of normalising one value: the canonical value, or the reason it was refused. */
public record Normalized(String value, String problem) {
    public static Normalized ok(String value) {
        return new Normalized(value, null);
    }

    public static Normalized invalid(String problem) {
        return new Normalized(null, problem);
    }

    public boolean isValid() {
        return problem == null;
    }
}
