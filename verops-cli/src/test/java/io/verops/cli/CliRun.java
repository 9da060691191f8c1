package io.verops.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

/** Runs the verops command in this JVM, as a user would, capturing its streams. */
record CliRun(int exitCode, String out, String err) {
    static Path repoRoot() {
        return Path.of(System.getProperty("verops.root", "..")).toAbsolutePath().normalize();
    }

    private static Path home;

    /**
     * A verops home of this test JVM's own (operations and the codex install linked from the checkout, a fresh
     * var/), so that test runs never share the local broker's data with each other or with a developer's runs.
     */
    static synchronized Path home() {
        if (home == null) {
            try {
                Path h = Path.of("target", "verops-home-" + ProcessHandle.current().pid()).toAbsolutePath();
                java.nio.file.Files.createDirectories(h);
                for (String link : List.of("operations", ".tools", "examples", "schemas")) {
                    Path l = h.resolve(link);
                    if (!java.nio.file.Files.exists(l, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        java.nio.file.Files.createSymbolicLink(l, repoRoot().resolve(link));
                    }
                }
                home = h;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return home;
    }

    /**
     * A home of its own whose operation {@code operation} has a failure threshold of 1 (its failure-ratio gate never
     * halts), for tests of other behaviour that inject failures into small batches.
     */
    static Path homeWithoutFailureGate(String operation) {
        try {
            Path h = Path.of("target", "verops-home-nogate-" + ProcessHandle.current().pid() + "-" + System.nanoTime())
                    .toAbsolutePath();
            Path ops = java.nio.file.Files.createDirectories(h.resolve("operations"));
            for (String link : List.of(".tools", "examples", "schemas")) {
                java.nio.file.Files.createSymbolicLink(h.resolve(link), repoRoot().resolve(link));
            }
            try (var dirs = java.nio.file.Files.list(repoRoot().resolve("operations"))) {
                for (Path d : dirs.toList()) {
                    if (!d.getFileName().toString().equals(operation)) {
                        java.nio.file.Files.createSymbolicLink(ops.resolve(d.getFileName()), d);
                        continue;
                    }
                    Path copy = java.nio.file.Files.createDirectories(ops.resolve(operation));
                    try (var files = java.nio.file.Files.list(d)) {
                        for (Path f : files.toList()) {
                            java.nio.file.Files.copy(f, copy.resolve(f.getFileName()));
                        }
                    }
                    Path def = copy.resolve("operation.json");
                    var json = (com.fasterxml.jackson.databind.node.ObjectNode) io.verops.core.Json.mapper().readTree(def.toFile());
                    json.with("limits").put("failure_threshold", 1.0);
                    java.nio.file.Files.writeString(def, io.verops.core.Json.pretty(json));
                }
            }
            return h;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Runs the command with {@code home} as the verops home. */
    static CliRun runIn(Path home, String... args) {
        System.setProperty("verops.home", home.toString());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRun(code, out.toString(), err.toString());
    }

    static CliRun run(String... args) {
        System.setProperty("verops.home", home().toString());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRun(code, out.toString(), err.toString());
    }

    /** The last non-empty line of stdout: the bundle's path. */
    Path bundle() {
        List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
        return Path.of(lines.get(lines.size() - 1));
    }
}
