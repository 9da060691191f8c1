package io.verops.codexsim;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a {@link Fault} makes the scripted model do wrong. */
public enum FaultKind {
    /** Answer HTTP 500 with an OpenAI-shaped JSON error body instead of the stream. */
    HTTP_500("http500"),
    /** Answer HTTP 429 with an OpenAI-shaped JSON error body instead of the stream. */
    HTTP_429("http429"),
    /** Accept the request and never answer (until the sim is closed, or 10 minutes). */
    HANG("hang"),
    /** The final message is JSON that violates the output schema. */
    OFF_SCHEMA("off-schema"),
    /** The final message is plain prose. */
    NON_JSON("non-json"),
    /** The final message names another item_id. */
    WRONG_ITEM_ID("wrong-item-id"),
    /** The final message claims success although the command failed. */
    CLAIM_SUCCESS("claim-success"),
    /** The turn-1 command fails (e.g. writes to a table that does not exist); the final message reports the failure. */
    FAILING_COMMAND("failing-command"),
    /** The turn-1 command is destructive ({@code DROP TABLE users}). */
    DESTRUCTIVE_COMMAND("destructive-command"),
    /** The turn-1 command prints {@code deleted 3 rows} before doing the normal work. */
    DESTRUCTIVE_OUTPUT("destructive-output"),
    /** The turn-1 command prints 20 lines containing {@code error} before doing the normal work. */
    ERROR_FLOOD("error-flood"),
    /** In a dry run, the turn-1 command writes (the apply command) instead of reading. */
    WRITE_IN_DRY_RUN("write-in-dry-run");

    private final String specName;

    FaultKind(String specName) {
        this.specName = specName;
    }

    /** The name used in fault specs, e.g. {@code http500} or {@code off-schema}. */
    public String specName() {
        return specName;
    }

    /**
     * Parses a kind name leniently: case, {@code -} and {@code _} are ignored, so {@code http500},
     * {@code HTTP_500}, {@code off-schema} and {@code OFF_SCHEMA} all work.
     *
     * @throws IllegalArgumentException naming the unknown kind and listing the known ones
     */
    public static FaultKind fromSpecName(String name) {
        String wanted = normalize(name == null ? "" : name);
        for (FaultKind kind : values()) {
            if (normalize(kind.specName).equals(wanted)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown fault kind '" + name + "'; expected one of " + knownNames());
    }

    static String knownNames() {
        return Arrays.stream(values()).map(FaultKind::specName).collect(Collectors.joining(", "));
    }

    private static String normalize(String s) {
        return s.trim().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    }
}
