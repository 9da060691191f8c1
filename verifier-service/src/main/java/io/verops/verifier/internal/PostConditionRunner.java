package io.verops.verifier.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.verops.core.Json;
import io.verops.core.Phase;
import io.verops.core.messages.Check;
import io.verops.core.operation.FieldSpec;
import io.verops.core.operation.Operation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteLimits;
import org.sqlite.SQLiteOpenMode;

/**
 * Runs an operation's post-conditions for one item against its SQLite target, in this process (the SQLite library,
 * no process per query), never through the agent: the database opened read-only, writes refused on top of that
 * ({@code PRAGMA query_only}), no extension loading and no ATTACH, a wait when a writer holds the database, and a
 * time limit per query. The item's values are bound as SQL string literals (quotes doubled). Each check records
 * the {@code sqlite3} command that runs the same query (a reviewer can run it again and gets the same rows), the
 * rows expected and the rows observed; secret fields are shown as {@code <secret>}.
 */
public final class PostConditionRunner {
    private static final String SECRET = "<secret>";
    /** More rows than a post-condition can mean: the observation says so instead of recording them all. */
    public static final int MAX_ROWS = 1000;
    private static final int BUSY_TIMEOUT_MS = 5000;
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "verops-post-condition-timer");
        t.setDaemon(true);
        return t;
    });

    private final Duration timeout;

    /** @param timeout how long one query may take before it is interrupted and counted as failed */
    public PostConditionRunner(Duration timeout) {
        this.timeout = Objects.requireNonNull(timeout, "timeout == null");
    }

    /**
     * The phase's post-conditions for one item, as one check; null when the operation declares none for it.
     *
     * @param db     the target database, or null when the operation has none
     * @param fields the item's normalised fields; null when they are not known
     */
    public Check run(Operation op, Phase phase, Path db, Map<String, String> fields) throws InterruptedException {
        List<Operation.PostCondition> conditions = op.postConditions(phase);
        if (conditions.isEmpty()) {
            return null;
        }
        String name = "post_conditions";
        if (db == null) {
            return Check.fail(name, "the operation has no target database to check");
        }
        if (fields == null) {
            return Check.fail(name, "the item's fields are unknown (no accepted plan of its batch and phase was "
                    + "found), so its post-conditions cannot be bound");
        }
        Set<String> secrets = op.fields().stream().filter(FieldSpec::secret).map(FieldSpec::name)
                .collect(Collectors.toSet());
        List<Check.Observation> seen = new ArrayList<>();
        String firstFailure = null;
        for (Operation.PostCondition pc : conditions) {
            Check.Observation o = runOne(pc, db, fields, secrets);
            seen.add(o);
            if (o.outcome() != Check.Outcome.PASS && firstFailure == null) {
                firstFailure = "'" + pc.name() + "': expected " + o.expected() + ", observed " + o.observed();
            }
        }
        if (firstFailure != null) {
            return Check.fail(name, firstFailure).withObservations(seen);
        }
        return Check.pass(name, conditions.size() + " post-condition(s) hold on " + db.getFileName())
                .withObservations(seen);
    }

    private Check.Observation runOne(Operation.PostCondition pc, Path db, Map<String, String> fields,
                                     Set<String> secrets) throws InterruptedException {
        for (String p : pc.query().parameters()) {
            if (!fields.containsKey(p)) {
                return new Check.Observation(pc.name(), pc.query().text(), null,
                        "the item has no value for field '" + p + "'", Check.Outcome.FAIL);
            }
        }
        String shown = command(db, pc.query().bind(f -> secrets.contains(f) ? SECRET : fields.get(f)));
        ArrayNode expected = expectedRows(pc, fields, false, secrets);
        String expectedShown = Json.write(expectedRows(pc, fields, true, secrets));
        String sql;
        try {
            sql = pc.query().bind(fields::get);
        } catch (IllegalArgumentException e) {
            return new Check.Observation(pc.name(), shown, expectedShown, e.getMessage(), Check.Outcome.FAIL);
        }
        Outcome run = query(db, sql);
        if (run.error() != null) {
            return new Check.Observation(pc.name(), shown, expectedShown, run.error(), Check.Outcome.FAIL);
        }
        boolean ok = rowsEqual(expected, run.rows());
        return new Check.Observation(pc.name(), shown, expectedShown, redact(Json.write(run.rows()), fields, secrets),
                ok ? Check.Outcome.PASS : Check.Outcome.FAIL);
    }

    /** The expected rows with field references replaced by the item's values (or {@code <secret>} to show them). */
    static ArrayNode expectedRows(Operation.PostCondition pc, Map<String, String> fields, boolean forDisplay,
                                  Set<String> secrets) {
        ArrayNode rows = JsonNodeFactory.instance.arrayNode();
        for (Map<String, JsonNode> row : pc.expect()) {
            ObjectNode o = rows.addObject();
            row.forEach((column, value) -> {
                String field = Operation.PostCondition.fieldReference(value);
                if (field == null) {
                    o.set(column, value);
                } else if (forDisplay && secrets.contains(field)) {
                    o.put(column, SECRET);
                } else {
                    o.put(column, fields.get(field));
                }
            });
        }
        return rows;
    }

    /**
     * Same number of rows, in order, each with the same columns; values compared as text (so 1 equals "1"), null
     * only with null.
     */
    static boolean rowsEqual(ArrayNode expected, ArrayNode observed) {
        if (expected.size() != observed.size()) {
            return false;
        }
        for (int i = 0; i < expected.size(); i++) {
            JsonNode e = expected.get(i);
            JsonNode o = observed.get(i);
            if (!o.isObject() || e.size() != o.size()) {
                return false;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = e.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> c = it.next();
                JsonNode v = o.get(c.getKey());
                if (v == null) {
                    return false;
                }
                boolean eNull = c.getValue().isNull();
                if (eNull != v.isNull() || (!eNull && !c.getValue().asText().equals(v.asText()))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static String redact(String text, Map<String, String> fields, Set<String> secrets) {
        String out = text;
        for (String s : secrets) {
            String v = fields.get(s);
            if (v != null && !v.isEmpty()) {
                out = out.replace(Json.write(v), "\"" + SECRET + "\"");
            }
        }
        return out;
    }

    /** The command as a reviewer would type it in a POSIX shell. */
    private String command(Path db, String sql) {
        return String.join(" ", "sqlite3", "-readonly", "-json", shellWord(db.toString()), shellWord(sql));
    }

    static String shellWord(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private record Outcome(ArrayNode rows, String error) {
    }

    private Outcome query(Path db, String sql) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("stopped before the post-conditions on " + db);
        }
        if (!Files.isRegularFile(db)) {
            return new Outcome(null, "cannot open the database " + db + ": " + (Files.exists(db)
                    ? "it is not a regular file" : "no such file"));
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setOpenMode(SQLiteOpenMode.OPEN_URI);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        config.enableLoadExtension(false);
        try (Connection c = config.createConnection("jdbc:sqlite:" + fileUri(db))) {
            SQLiteConnection sqlite = (SQLiteConnection) c;
            sqlite.setLimit(SQLiteLimits.SQLITE_LIMIT_ATTACHED, 0);
            try (Statement pragma = c.createStatement()) {
                pragma.execute("PRAGMA query_only = 1");
            }
            AtomicBoolean timedOut = new AtomicBoolean();
            ScheduledFuture<?> limit = TIMER.schedule(() -> {
                timedOut.set(true);
                try {
                    sqlite.getDatabase().interrupt();
                } catch (SQLException ignored) {
                    // the query ended meanwhile
                }
            }, timeout.toMillis(), TimeUnit.MILLISECONDS);
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                return new Outcome(rows(rs), null);
            } catch (SQLException e) {
                if (timedOut.get()) {
                    return new Outcome(null, "the query did not answer within " + timeout.toSeconds() + " s");
                }
                throw e;
            } finally {
                limit.cancel(false);
            }
        } catch (TooManyRows e) {
            return new Outcome(null, "the query returned more than " + MAX_ROWS + " rows");
        } catch (SQLException e) {
            return new Outcome(null, "SQLite refused the query: " + e.getMessage());
        }
    }

    /** A {@code file:} URI of the path, so that characters such as '?' or '#' in it are part of the name. */
    static String fileUri(Path db) {
        StringBuilder sb = new StringBuilder("file:");
        for (byte b : db.toAbsolutePath().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int ch = b & 0xff;
            if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')
                    || "/-._~".indexOf(ch) >= 0) {
                sb.append((char) ch);
            } else {
                sb.append('%').append(String.format("%02X", ch));
            }
        }
        return sb.toString();
    }

    private static final class TooManyRows extends Exception {
        TooManyRows() {
            super(null, null, false, false);
        }
    }

    /** The rows as {@code sqlite3 -json} writes them: integers and reals as numbers, text as strings, NULL as null (a blob as hex text). */
    private static ArrayNode rows(ResultSet rs) throws SQLException, TooManyRows {
        ArrayNode rows = JsonNodeFactory.instance.arrayNode();
        ResultSetMetaData md = rs.getMetaData();
        int columns = md.getColumnCount();
        while (rs.next()) {
            if (rows.size() == MAX_ROWS) {
                throw new TooManyRows();
            }
            ObjectNode row = rows.addObject();
            for (int i = 1; i <= columns; i++) {
                String name = md.getColumnLabel(i);
                Object v = rs.getObject(i);
                if (v == null) {
                    row.putNull(name);
                } else if (v instanceof Integer n) {
                    row.put(name, n);
                } else if (v instanceof Long n) {
                    row.put(name, n);
                } else if (v instanceof Double d) {
                    row.put(name, d);
                } else if (v instanceof byte[] bytes) {
                    row.put(name, HexFormat.of().formatHex(bytes));
                } else if (md.getColumnType(i) == Types.FLOAT || v instanceof Float) {
                    row.put(name, ((Number) v).doubleValue());
                } else {
                    row.put(name, v.toString());
                }
            }
        }
        return rows;
    }
}
