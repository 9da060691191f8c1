package io.verops.executor;

import io.verops.core.operation.Operation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Resolves an operation's target database and makes sure it exists with its tables (the operation's setup
 * SQL, run once per database by verops itself through the sqlite3 CLI, never by the agent).
 */
public final class TargetSetup {
    private final Set<Path> prepared = ConcurrentHashMap.newKeySet();
    private final ExecutorSettings settings;

    public TargetSetup(ExecutorSettings settings) {
        this.settings = settings;
    }

    /** The absolute database path of an operation's target, or null when it has none. */
    public Path database(Operation op) {
        Path override = settings.targetDatabases().get(op.name());
        if (override != null) {
            return override.toAbsolutePath().normalize();
        }
        if (op.target() == null) {
            return null;
        }
        Path p = Path.of(op.target().database());
        return (p.isAbsolute() ? p : settings.home().resolve(p)).toAbsolutePath().normalize();
    }

    public synchronized Path prepare(Operation op) throws IOException, InterruptedException {
        Path db = database(op);
        if (db == null || prepared.contains(db)) {
            return db;
        }
        Files.createDirectories(db.getParent());
        if (op.target().setupSql() != null) {
            // another executor may be setting up the same database at this moment: wait for its lock
            Process p = new ProcessBuilder("sqlite3", "-cmd", ".timeout 30000", db.toString())
                    .redirectInput(op.target().setupSql().toFile())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("setting up target " + db + " with " + op.target().setupSql()
                        + " failed: " + out.strip());
            }
        }
        prepared.add(db);
        return db;
    }
}
