package io.verops.verifier;

import io.verops.core.operation.Operation;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where the verifier finds each operation's target, to run the post-conditions on it.
 *
 * @param home            the verops home: relative target databases of operations resolve against it
 * @param targetDatabases per operation, a target database that replaces the operation's own (as the executor's)
 */
public record VerifierSettings(Path home, Map<String, Path> targetDatabases) {
    public VerifierSettings {
        Objects.requireNonNull(home, "home == null");
        targetDatabases = targetDatabases == null ? Map.of() : Map.copyOf(targetDatabases);
    }

    /** The absolute database path of an operation's target, or null when it has none. */
    public Path database(Operation op) {
        Path override = targetDatabases.get(op.name());
        if (override != null) {
            return override.toAbsolutePath().normalize();
        }
        return op.target() == null ? null : op.target().resolve(home);
    }
}
