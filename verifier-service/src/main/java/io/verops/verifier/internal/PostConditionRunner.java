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
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs an operation's post-conditions for one item against its SQLite target, through the sqlite3 CLI in
 * read-only safe mode, never through the agent. The item's values are bound as SQL string literals (quotes
 * doubled) and the query is passed as one argument, without a shell. Each check records the command (a reviewer
 * can run it again), the rows expected and the rows observed; secret fields are shown as {@code <secret>}.
 */
public final class PostConditionRunner {
    private static final String SECRET = "<secret>";
    private static final int MAX_OUTPUT = 1 << 20;
    private static final int BUSY_TIMEOUT_MS = 5000;

    private final String sqlite3;
    private final Duration timeout;

    /**
     * @param sqlite3 the sqlite3 executable (a name on the PATH, or a path)
     * @param timeout how long one query may take before it is killed and counted as failed
     */
    public PostConditionRunner(String sqlite3, Duration timeout) {
        this.sqlite3 = Objects.requireNonNull(sqlite3, "sqlite3 == null");
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
        return String.join(" ", sqlite3, "-readonly", "-json", shellWord(db.toString()), shellWord(sql));
    }

    static String shellWord(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private record Outcome(ArrayNode rows, String error) {
    }

    private Outcome query(Path db, String sql) throws InterruptedException {
        List<String> argv = List.of(sqlite3, "-init", "/dev/null", "-safe", "-readonly", "-json", "-bail",
                "-cmd", ".timeout " + BUSY_TIMEOUT_MS, db.toString(), sql);
        Process p;
        try {
            p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            return new Outcome(null, "cannot run " + sqlite3 + ": " + e.getMessage());
        }
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            return new Outcome(null, "sqlite3 did not answer within " + timeout.toSeconds() + " s");
        }
        String stdout = out.join();
        String stderr = err.join().strip();
        if (p.exitValue() != 0) {
            return new Outcome(null, "sqlite3 exited " + p.exitValue() + (stderr.isEmpty() ? "" : ": "
                    + stderr.lines().findFirst().orElse("")));
        }
        if (stdout.isBlank()) {
            return new Outcome(JsonNodeFactory.instance.arrayNode(), null);
        }
        try {
            JsonNode n = Json.mapper().readTree(stdout);
            if (n instanceof ArrayNode a) {
                return new Outcome(a, null);
            }
            return new Outcome(null, "sqlite3 answered something other than rows: " + stdout.strip());
        } catch (IOException e) {
            return new Outcome(null, "sqlite3's answer is not JSON (" + e.getMessage() + ")");
        }
    }

    private static String read(InputStream in) {
        try (in) {
            byte[] bytes = in.readNBytes(MAX_OUTPUT);
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
