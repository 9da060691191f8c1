package io.verops.core.operation;

import com.fasterxml.jackson.databind.JsonNode;
import io.verops.core.schema.JsonSchema;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything about one kind of batch, loaded from its folder under {@code operations/}: the fields and their
 * normalisation, the instructions to the agent, the output schema, the apply policy, model and limits.
 */
public record Operation(String name, String description, Path folder, String instructions,
                        JsonSchema outputSchema, Path outputSchemaFile, JsonNode outputSchemaJson,
                        List<FieldSpec> fields, List<String> identity, ApplyPolicy apply, String sandbox,
                        ModelChoice model, Limits limits, Target target, String definitionSha256,
                        CommandPolicy policy) {
    public Operation {
        Objects.requireNonNull(name, "name == null");
        fields = List.copyOf(fields);
        identity = List.copyOf(identity);
        policy = policy == null ? CommandPolicy.NONE : policy;
    }

    public Optional<FieldSpec> field(String fieldName) {
        return fields.stream().filter(f -> f.name().equals(fieldName)).findFirst();
    }

    /** Whether the apply changes something that cannot be undone: then an operator must approve it. */
    public record ApplyPolicy(boolean enabled, boolean irreversible, boolean idempotent, boolean autoApprove) {
    }

    /** The model and reasoning effort codex uses for this operation. */
    public record ModelChoice(String name, String reasoningEffort) {
    }

    /** Batch cap, failure-ratio threshold and per-item wall-clock limit. */
    public record Limits(int batchCap, double failureThreshold, int timeoutSeconds) {
        public static final int DEFAULT_BATCH_CAP = 500;
        public static final double DEFAULT_FAILURE_THRESHOLD = 0.05;
        public static final int DEFAULT_TIMEOUT_SECONDS = 300;
    }

    /**
     * The system the agent works on. For the example operations: a SQLite database file, created with
     * {@code setupSql} when missing. {@code database} is relative to the verops home unless absolute.
     */
    public record Target(String database, Path setupSql) {
    }

    /**
     * What the hooks allow the agent to run, on top of verops' default rules (see docs/hooks.md).
     *
     * @param allowedCommands the programs (and non-shell tools) the agent may use; empty means any program
     * @param forbidden       patterns a command may never match, in any phase
     * @param writePatterns   patterns that make a command a write, refused in a dry run
     * @param errorFloodLimit output with more lines mentioning "error" than this is flagged
     */
    public record CommandPolicy(List<String> allowedCommands, List<PatternRule> forbidden,
                                List<PatternRule> writePatterns, int errorFloodLimit) {
        public static final int DEFAULT_ERROR_FLOOD_LIMIT = 10;
        /** No allow-list, nothing added to the defaults. */
        public static final CommandPolicy NONE = new CommandPolicy(List.of(), List.of(), List.of(),
                DEFAULT_ERROR_FLOOD_LIMIT);

        public CommandPolicy {
            allowedCommands = List.copyOf(allowedCommands);
            forbidden = List.copyOf(forbidden);
            writePatterns = List.copyOf(writePatterns);
        }

        /** Whether only the listed programs may run. */
        public boolean restrictsPrograms() {
            return !allowedCommands.isEmpty();
        }
    }

    /**
     * A named POSIX extended regular expression, matched case-insensitively. With {@code unless}, a match fires
     * only when the matched text does not also match {@code unless} (e.g. a DELETE without a WHERE).
     */
    public record PatternRule(String name, String pattern, String unless) {
        public PatternRule {
            Objects.requireNonNull(name, "name == null");
            Objects.requireNonNull(pattern, "pattern == null");
        }
    }
}
