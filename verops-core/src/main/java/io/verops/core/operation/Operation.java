package io.verops.core.operation;

import com.fasterxml.jackson.databind.JsonNode;
import io.verops.core.Phase;
import io.verops.core.schema.JsonSchema;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything about one kind of batch, loaded from its folder under {@code operations/}: the fields and their
 * normalisation, the instructions to the agent, the output schema, the apply policy, model and limits, the
 * post-conditions verops checks on the target after each item, and the batch gates.
 */
public record Operation(String name, String description, Path folder, String instructions,
                        JsonSchema outputSchema, Path outputSchemaFile, JsonNode outputSchemaJson,
                        List<FieldSpec> fields, List<String> identity, ApplyPolicy apply, String sandbox,
                        ModelChoice model, Limits limits, Target target, String definitionSha256,
                        CommandPolicy policy, List<PostCondition> postConditions, Gates gates, Retry retry) {
    public Operation {
        Objects.requireNonNull(name, "name == null");
        fields = List.copyOf(fields);
        identity = List.copyOf(identity);
        policy = policy == null ? CommandPolicy.NONE : policy;
        postConditions = postConditions == null ? List.of() : List.copyOf(postConditions);
        gates = gates == null ? Gates.DEFAULT : gates;
    }

    /** The post-conditions verops checks after an item's run in this phase, in declaration order. */
    public List<PostCondition> postConditions(Phase phase) {
        return postConditions.stream().filter(p -> p.phase() == phase).toList();
    }

    public Optional<FieldSpec> field(String fieldName) {
        return fields.stream().filter(f -> f.name().equals(fieldName)).findFirst();
    }

    /**
     * The exponential backoff with jitter before the single retry of a transient failure: {@code base_ms} times
     * {@code factor} to the power (attempt - 1), capped at {@code cap_ms}, times a random factor in [0.5, 1.5).
     */
    public record Retry(long baseMs, double factor, long capMs) {
        public java.time.Duration backoff(int attempt, double jitter) {
            double ms = Math.min(capMs, baseMs * Math.pow(factor, attempt - 1));
            return java.time.Duration.ofMillis((long) (ms * jitter));
        }
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
        /** The database file: {@code database} resolved against the verops home, absolute. */
        public Path resolve(Path home) {
            Path p = Path.of(database);
            return (p.isAbsolute() ? p : home.resolve(p)).toAbsolutePath().normalize();
        }
    }

    /**
     * A check that verops runs itself, not through the agent, against the target after an item's run: a read-only
     * SQL query with the item's fields bound as {@code :name} parameters, and the rows it must return.
     *
     * @param phase  {@code apply}: the claimed change is there; {@code dry_run}: nothing changed
     * @param expect the exact rows (column to value, in order); a value {@code ":field"} stands for that field of
     *               the item, any other value for itself (compared as text, null only with null)
     */
    public record PostCondition(String name, String description, Phase phase, SqlTemplate query,
                                List<Map<String, JsonNode>> expect) {
        public PostCondition {
            Objects.requireNonNull(name, "name == null");
            Objects.requireNonNull(phase, "phase == null");
            Objects.requireNonNull(query, "query == null");
            expect = expect.stream().map(r -> Collections.unmodifiableMap(new LinkedHashMap<>(r))).toList();
        }

        /** The field an expected value stands for, or null when it is a value of its own. */
        public static String fieldReference(JsonNode value) {
            if (value != null && value.isTextual() && value.asText().matches(":[A-Za-z_][A-Za-z0-9_]*")) {
                return value.asText().substring(1);
            }
            return null;
        }
    }

    /**
     * The batch gates' settings beyond the failure threshold ({@link Limits#failureThreshold}) and the error-flood
     * limit ({@link CommandPolicy#errorFloodLimit}).
     *
     * @param minSample                how many items of a phase must have a verdict before the failure ratio is
     *                                 judged (the whole phase when it has fewer items)
     * @param destructiveOutputAllowed whether a tool's output may report something deleted, dropped or truncated
     *                                 without halting the batch
     */
    public record Gates(int minSample, boolean destructiveOutputAllowed) {
        public static final int DEFAULT_MIN_SAMPLE = 20;
        public static final Gates DEFAULT = new Gates(DEFAULT_MIN_SAMPLE, false);
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
