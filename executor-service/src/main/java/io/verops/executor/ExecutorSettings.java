package io.verops.executor;

import io.verops.core.operation.SandboxBypass;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How the executor runs codex.
 *
 * @param codexBinary the pinned {@code codex} executable
 * @param home        the verops home: relative target paths of operations resolve against it
 * @param workRoot    per-item workspaces and CODEX_HOMEs live here (must be outside /tmp)
 * @param endpoint    the model provider codex talks to
 * @param concurrency how many codex processes run at once
 * @param retryBackoff the base wait before the single retry of a transient failure (doubled, with jitter)
 * @param targetDatabases per operation, a target database path that replaces the operation's own
 * @param itemTimeout  a wall-clock limit per item that replaces the operations' own; null keeps theirs
 * @param sandboxBypass whether the apply of an operation declaring {@code danger-full-access} may run codex without
 *                      its sandbox ({@code verops.executor.allow-sandbox-bypass}); {@link SandboxBypass#REFUSED} by
 *                      default, never {@link SandboxBypass#NOT_RUN_HERE}
 * @param codexNice   the niceness codex and everything it starts run at (0 to 19; 0 runs them at the executor's own),
 *                    {@link #DEFAULT_CODEX_NICE} by default: where the codex processes use every core, verops' own short
 *                    steps (records, hooks, verification) still get the CPU at once, at no cost to the codex runs'
 *                    total throughput
 */
public record ExecutorSettings(Path codexBinary, Path home, Path workRoot, ModelEndpoint endpoint, int concurrency,
                               Duration retryBackoff, Map<String, Path> targetDatabases, Duration itemTimeout,
                               SandboxBypass sandboxBypass, int codexNice) {
    /** The niceness codex runs at unless configured otherwise. */
    public static final int DEFAULT_CODEX_NICE = 10;

    public ExecutorSettings {
        if (codexNice < 0 || codexNice > 19) {
            throw new IllegalArgumentException("codexNice must be between 0 and 19 (found " + codexNice + ")");
        }
        Objects.requireNonNull(sandboxBypass, "sandboxBypass == null");
        if (sandboxBypass == SandboxBypass.NOT_RUN_HERE) {
            throw new IllegalArgumentException("sandboxBypass must be REFUSED or ALLOWED where codex runs (found NOT_RUN_HERE)");
        }
        Objects.requireNonNull(codexBinary, "codexBinary == null");
        Objects.requireNonNull(home, "home == null");
        Objects.requireNonNull(workRoot, "workRoot == null");
        Objects.requireNonNull(endpoint, "endpoint == null");
        Objects.requireNonNull(retryBackoff, "retryBackoff == null");
        targetDatabases = targetDatabases == null ? Map.of() : Map.copyOf(targetDatabases);
        if (itemTimeout != null && (itemTimeout.isNegative() || itemTimeout.isZero())) {
            throw new IllegalArgumentException("itemTimeout must be positive (found " + itemTimeout + ")");
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1 (found " + concurrency + ")");
        }
    }

    /** Settings with the default niceness of codex. */
    public ExecutorSettings(Path codexBinary, Path home, Path workRoot, ModelEndpoint endpoint, int concurrency,
                            Duration retryBackoff, Map<String, Path> targetDatabases, Duration itemTimeout,
                            SandboxBypass sandboxBypass) {
        this(codexBinary, home, workRoot, endpoint, concurrency, retryBackoff, targetDatabases, itemTimeout,
                sandboxBypass, DEFAULT_CODEX_NICE);
    }

    /** Settings that never run codex without its sandbox. */
    public ExecutorSettings(Path codexBinary, Path home, Path workRoot, ModelEndpoint endpoint, int concurrency,
                            Duration retryBackoff, Map<String, Path> targetDatabases, Duration itemTimeout) {
        this(codexBinary, home, workRoot, endpoint, concurrency, retryBackoff, targetDatabases, itemTimeout,
                SandboxBypass.REFUSED);
    }

    /** Settings that keep each operation's own time limit. */
    public ExecutorSettings(Path codexBinary, Path home, Path workRoot, ModelEndpoint endpoint, int concurrency,
                            Duration retryBackoff, Map<String, Path> targetDatabases) {
        this(codexBinary, home, workRoot, endpoint, concurrency, retryBackoff, targetDatabases, null);
    }

    /** The wall-clock limit of one item of this operation. */
    public Duration timeoutFor(io.verops.core.operation.Operation op) {
        return itemTimeout != null ? itemTimeout : Duration.ofSeconds(op.limits().timeoutSeconds());
    }
}
