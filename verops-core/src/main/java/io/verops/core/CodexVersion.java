package io.verops.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * What a codex binary says its version is, for the provenance of a run. The executor asks the binary it runs; the
 * one-JVM runner's archiver asks the same binary.
 */
public final class CodexVersion {
    /** The version recorded when it cannot be known. */
    public static final String UNKNOWN = "unknown";

    private CodexVersion() {
    }

    /**
     * What {@code <codex> --version} prints (e.g. {@code codex-cli 0.169.0}), or {@code unknown (<why>)} when it
     * cannot be run. Starts a process: call it once, not per item.
     */
    public static String probe(Path codexBinary) {
        Objects.requireNonNull(codexBinary, "codexBinary == null");
        try {
            Process p = new ProcessBuilder(codexBinary.toString(), "--version").redirectErrorStream(true).start();
            p.getOutputStream().close(); // codex waits for more input while its stdin is open
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readNBytes(4096), StandardCharsets.UTF_8).trim();
            }
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return UNKNOWN + " (" + codexBinary.getFileName() + " --version did not answer)";
            }
            String last = out.lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("");
            return p.exitValue() == 0 && !last.isBlank() ? last : UNKNOWN + " (" + codexBinary.getFileName()
                    + " --version exited " + p.exitValue() + ")";
        } catch (IOException e) {
            return UNKNOWN + " (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return UNKNOWN;
        }
    }
}
