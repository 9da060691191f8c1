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

    static CliRun run(String... args) {
        System.setProperty("verops.home", repoRoot().toString());
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
