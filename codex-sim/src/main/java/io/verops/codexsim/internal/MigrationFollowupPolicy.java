package io.verops.codexsim.internal;

import io.verops.codexsim.FaultKind;

import java.util.List;

import static io.verops.codexsim.internal.ShellQuoting.pathArgument;
import static io.verops.codexsim.internal.ShellQuoting.shellWord;

/**
 * {@code migration-followup}: a read-only check of one table of the SQLite file {@code target.database}: it
 * exists and holds at least {@code min_rows} (and at most {@code max_rows}, when given) rows. Changes nothing in
 * either phase, so its answers always carry an empty {@code changes}.
 * <ul>
 *   <li>turn 1: {@code sqlite3 -readonly DB 'SELECT count(*) FROM "<table>";'} (the table a quoted SQL identifier);</li>
 *   <li>turn 2: success when the count is in range; failure when it is not, when the table does not exist, or when
 *       the command failed.</li>
 * </ul>
 * Command-shaping faults: a destructive command ({@code DROP TABLE <table>}), a failing one (a missing table), a
 * write ({@code DELETE FROM <table>}) instead of the read, destructive output, an error flood.
 */
public final class MigrationFollowupPolicy implements OperationPolicy {

    public static final String OPERATION = "migration-followup";

    static final String COUNT = "count";
    static final String FAIL_COUNT = "failcount";
    static final String DROP = "drop";
    static final String WRITE = "write";

    private static final int EXCERPT = 600;

    @Override
    public String operation() {
        return OPERATION;
    }

    @Override
    public Step decide(PolicyContext ctx) {
        Check c = Check.of(ctx);
        if (c.db == null || c.db.isBlank()) {
            return new Step.Final(FinalAnswer.failure(ctx.itemId(), ctx.dryRun(),
                    "The item has no target.database; nothing was checked."), null);
        }
        if (c.table == null || c.minRows == null) {
            return new Step.Final(FinalAnswer.failure(ctx.itemId(), ctx.dryRun(),
                    "The item lacks its table or min_rows (or they are not whole numbers); nothing was checked."), null);
        }
        return ctx.lastTool() == null ? firstTurn(ctx, c) : afterTool(ctx, c, ctx.lastTool());
    }

    private Step firstTurn(PolicyContext ctx, Check c) {
        FaultSwitch faults = ctx.faults();
        String intent;
        String main;
        if (faults.fire(FaultKind.DESTRUCTIVE_COMMAND)) {
            intent = DROP;
            main = "sqlite3 " + shellWord(pathArgument(c.db)) + " " + shellWord("DROP TABLE " + identifier(c.table) + ";");
        } else if (faults.fire(FaultKind.FAILING_COMMAND)) {
            intent = FAIL_COUNT;
            main = countCommand(c.db, UserProvisioningPolicy.MISSING_TABLE);
        } else if (faults.fire(FaultKind.WRITE_IN_DRY_RUN)) {
            intent = WRITE;
            main = UserProvisioningPolicy.SQLITE + shellWord(pathArgument(c.db)) + " "
                    + shellWord("DELETE FROM " + identifier(c.table) + " WHERE rowid = -1; SELECT changes();");
        } else {
            intent = COUNT;
            main = countCommand(c.db, c.table);
        }
        StringBuilder cmd = new StringBuilder();
        if (faults.fire(FaultKind.DESTRUCTIVE_OUTPUT)) {
            cmd.append("echo 'deleted 3 rows'; ");
        }
        if (faults.fire(FaultKind.ERROR_FLOOD)) {
            cmd.append("for i in $(seq 1 20); do echo \"error: simulated error line $i of 20\"; done; ");
        }
        cmd.append(main);
        return new Step.Command(intent, cmd.toString());
    }

    /** {@code sqlite3 -readonly -cmd '.timeout 5000' 'DB' 'SELECT count(*) FROM "<table>";'}, every part quoted. */
    public static String countCommand(String db, String table) {
        return UserProvisioningPolicy.SQLITE_READONLY + shellWord(pathArgument(db)) + " "
                + shellWord("SELECT count(*) FROM " + identifier(table) + ";");
    }

    /** A quoted SQL identifier: {@code "name"}, any double quote doubled. */
    static String identifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    private Step afterTool(PolicyContext ctx, Check c, ToolResult r) {
        String intent = r.intent() == null ? COUNT : r.intent();
        FinalAnswer claim = FinalAnswer.success(ctx.itemId(), ctx.dryRun(), "Table " + c.table + " holds "
                + c.range() + ", as expected.", List.of());
        return switch (intent) {
            case COUNT -> new Step.Final(afterCount(ctx, c, r), claim);
            case FAIL_COUNT -> new Step.Final(failed(ctx, "Counting the rows of table "
                    + UserProvisioningPolicy.MISSING_TABLE, r), claim);
            case WRITE -> new Step.Final(r.exitedZero()
                    ? FinalAnswer.failure(ctx.itemId(), ctx.dryRun(), "Ran a DELETE on table " + c.table + " of " + c.db
                    + " instead of counting its rows; the check was not made.")
                    : failed(ctx, "A DELETE on table " + c.table, r), claim);
            case DROP -> new Step.Final(r.exitedZero()
                    ? FinalAnswer.failure(ctx.itemId(), ctx.dryRun(), "Ran DROP TABLE " + c.table + " on " + c.db
                    + " instead of counting its rows; the table was dropped.")
                    : failed(ctx, "DROP TABLE " + c.table + " on " + c.db, r), claim);
            default -> new Step.Final(failed(ctx, "An unexpected command", r), claim);
        };
    }

    private FinalAnswer afterCount(PolicyContext ctx, Check c, ToolResult r) {
        if (!r.exitedZero()) {
            if (r.output().contains("no such table")) {
                return FinalAnswer.failure(ctx.itemId(), ctx.dryRun(), "Table " + c.table + " does not exist in "
                        + c.db + " (expected " + c.range() + ").");
            }
            return failed(ctx, "Counting the rows of table " + c.table + " in " + c.db, r);
        }
        String[] lines = r.output().strip().split("\\R");
        long count;
        try {
            count = Long.parseLong(lines[lines.length - 1].strip());
        } catch (NumberFormatException e) {
            return FinalAnswer.failure(ctx.itemId(), ctx.dryRun(),
                    "Could not read the row count of table " + c.table + " from the output: " + r.outputExcerpt(EXCERPT));
        }
        if (count < c.minRows) {
            return FinalAnswer.failure(ctx.itemId(), ctx.dryRun(), "Table " + c.table + " holds " + count
                    + " rows, fewer than the expected minimum of " + c.minRows + ".");
        }
        if (c.maxRows != null && count > c.maxRows) {
            return FinalAnswer.failure(ctx.itemId(), ctx.dryRun(), "Table " + c.table + " holds " + count
                    + " rows, more than the expected maximum of " + c.maxRows + ".");
        }
        return FinalAnswer.success(ctx.itemId(), ctx.dryRun(), "Table " + c.table + " holds " + count + " rows ("
                + "expected " + c.range() + ").", List.of());
    }

    private static FinalAnswer failed(PolicyContext ctx, String what, ToolResult r) {
        String out = r.outputExcerpt(EXCERPT);
        return FinalAnswer.failure(ctx.itemId(), ctx.dryRun(),
                what + " failed (" + r.outcome() + ")" + (out.isEmpty() ? "." : ": " + out));
    }

    private record Check(String table, Long minRows, Long maxRows, String db) {
        static Check of(PolicyContext ctx) {
            String table = ctx.field("table");
            return new Check(table != null ? table : ctx.itemId(), number(ctx.field("min_rows")),
                    number(ctx.field("max_rows")), ctx.target("database"));
        }

        String range() {
            long last = maxRows == null ? minRows : maxRows;
            return (maxRows == null ? "at least " + minRows : minRows + " to " + maxRows) + (last == 1 ? " row" : " rows");
        }

        private static Long number(String v) {
            if (v == null) {
                return null;
            }
            try {
                return Long.parseLong(v.strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }
}
