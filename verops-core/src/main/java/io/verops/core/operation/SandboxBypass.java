package io.verops.core.operation;

/**
 * Whether this process may run codex without its sandbox, which an operation declaring
 * {@code "sandbox": "danger-full-access"} needs. A deployment decides it (the executor's
 * {@code verops.executor.allow-sandbox-bypass}), never an operation.
 */
public enum SandboxBypass {
    /**
     * The default where codex runs: an operation declaring {@code danger-full-access} is a definition problem,
     * refused at load, and codex is never given a bypass.
     */
    REFUSED,
    /**
     * The deployment allows it ({@code verops.executor.allow-sandbox-bypass=true}; e.g. a container where
     * bubblewrap cannot create namespaces and the pod is the sandbox): the apply of an operation declaring
     * {@code danger-full-access} runs codex with {@code --sandbox danger-full-access}, and every attempt's
     * evidence says so.
     */
    ALLOWED,
    /**
     * This process never runs codex (ingest, verifier, archiver): it reads the declaration and leaves the
     * decision to the executor, which loads the catalog with {@link #REFUSED} or {@link #ALLOWED}.
     */
    NOT_RUN_HERE
}
