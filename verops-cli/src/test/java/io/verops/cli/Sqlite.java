package io.verops.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Reads a SQLite target with the sqlite3 CLI, independently of verops and of the agent. */
final class Sqlite {
    private Sqlite() {
    }

    static List<String> query(Path db, String sql) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sqlite3", "-readonly", "-cmd", ".timeout 10000", "-separator", "|", db.toString(), sql)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("sqlite3 failed: " + out);
        }
        return out.lines().toList();
    }
}
