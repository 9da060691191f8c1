package io.verops.cli;

import java.nio.file.Path;

/**
 * The verops home: the folder holding {@code operations/}, {@code .tools/} and {@code var/}. From the
 * {@code verops.home} system property, else {@code VEROPS_HOME}, else the working directory.
 */
public final class VeropsHome {
    private VeropsHome() {
    }

    public static Path resolve() {
        String p = System.getProperty("verops.home");
        if (p == null || p.isBlank()) {
            p = System.getenv("VEROPS_HOME");
        }
        return (p == null || p.isBlank() ? Path.of("") : Path.of(p)).toAbsolutePath().normalize();
    }

    /** The pinned codex binary: {@code VEROPS_CODEX}, else the project-local install under .tools/. */
    public static Path codexBinary(Path home) {
        String env = System.getenv("VEROPS_CODEX");
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath();
        }
        return home.resolve(".tools/codex/node_modules/.bin/codex");
    }
}
