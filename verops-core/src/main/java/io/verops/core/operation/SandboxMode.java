package io.verops.core.operation;

import java.util.Arrays;
import java.util.Optional;

/**
 * The codex sandbox an operation declares ({@code "sandbox"} in operation.json), weakest last. A dry run always
 * runs {@link #READ_ONLY}; an apply runs what the operation declares, never anything weaker.
 * {@link #DANGER_FULL_ACCESS} is no sandbox at all: codex runs it only where the deployment allows a bypass
 * ({@link SandboxBypass#ALLOWED}).
 */
public enum SandboxMode {
    READ_ONLY("read-only"),
    WORKSPACE_WRITE("workspace-write"),
    DANGER_FULL_ACCESS("danger-full-access");

    private final String wire;

    SandboxMode(String wire) {
        this.wire = wire;
    }

    /** The value codex's {@code --sandbox} takes and operation.json declares. */
    public String wire() {
        return wire;
    }

    /** Whether this mode confines codex at least as much as {@code other}. */
    public boolean atLeastAsStrictAs(SandboxMode other) {
        return ordinal() <= other.ordinal();
    }

    /** Whether codex runs without a sandbox in this mode. */
    public boolean bypassesSandbox() {
        return this == DANGER_FULL_ACCESS;
    }

    public static Optional<SandboxMode> parse(String wire) {
        return Arrays.stream(values()).filter(m -> m.wire.equals(wire)).findFirst();
    }

    /** The mode named {@code wire}; an exception naming the known ones otherwise. */
    public static SandboxMode of(String wire) {
        return parse(wire).orElseThrow(() -> new IllegalArgumentException("'" + wire
                + "' is not a codex sandbox (one of read-only, workspace-write, danger-full-access)"));
    }
}
