package io.verops.codexsim.internal;

import io.verops.codexsim.FaultKind;

import java.util.List;

import static io.verops.codexsim.internal.ShellQuoting.pathArgument;
import static io.verops.codexsim.internal.ShellQuoting.shellWord;
import static io.verops.codexsim.internal.ShellQuoting.sqlLiteral;

/**
 * {@code quota-change}: set the quota and effective date of an existing account in
 * {@code quotas(account, quota, effective_date, updated_at)} of the SQLite file {@code target.database}.
 * <ul>
 *   <li>dry_run, turn 1: {@code sqlite3 -readonly DB 'SELECT quota, effective_date FROM quotas WHERE account = ...'};
 *       turn 2: success with "would change ... from A to B" when the account exists, failure when it does not.</li>
 *   <li>apply, turn 1: {@code sqlite3 DB 'UPDATE quotas SET ... WHERE account = ...; SELECT changes();'};
 *       turn 2: success iff exit 0 and exactly one row changed.</li>
 * </ul>
 * Command-shaping faults as in {@link UserProvisioningPolicy}: a destructive command ({@code DROP TABLE quotas}),
 * a failing one (a missing table), a write in a dry run, destructive output, an error flood.
 */
public final class QuotaChangePolicy implements OperationPolicy {

    public static final String OPERATION = "quota-change";

    static final String UPDATE = "update";
    static final String READ = "read";
    static final String FAIL_UPDATE = "failupdate";
    static final String FAIL_READ = "failread";
    static final String DROP = "drop";
    static final String DRY_UPDATE = "dryupdate";

    private static final int EXCERPT = 600;

    @Override
    public String operation() {
        return OPERATION;
    }

    @Override
    public Step decide(PolicyContext ctx) {
        Change c = Change.of(ctx);
        if (c.db == null || c.db.isBlank()) {
            return new Step.Final(FinalAnswer.failure(ctx.itemId(), ctx.dryRun(),
                    "The item has no target.database; nothing was done."), null);
        }
        if (c.quota == null || c.effectiveDate == null) {
            return new Step.Final(FinalAnswer.failure(ctx.itemId(), ctx.dryRun(),
                    "The item lacks its quota or effective_date; nothing was done."), null);
        }
        return ctx.lastTool() == null ? firstTurn(ctx, c) : afterTool(ctx, c, ctx.lastTool());
    }

    // ---- turn 1 -------------------------------------------------------------------------------------------

    private Step firstTurn(PolicyContext ctx, Change c) {
        FaultSwitch faults = ctx.faults();
        String intent;
        String main;
        if (faults.fire(FaultKind.DESTRUCTIVE_COMMAND)) {
            intent = DROP;
            main = "sqlite3 " + shellWord(pathArgument(c.db)) + " 'DROP TABLE quotas'";
        } else if (faults.fire(FaultKind.FAILING_COMMAND)) {
            intent = ctx.dryRun() ? FAIL_READ : FAIL_UPDATE;
            main = ctx.dryRun() ? readCommand(c, UserProvisioningPolicy.MISSING_TABLE)
                    : updateCommand(c, UserProvisioningPolicy.MISSING_TABLE);
        } else if (ctx.dryRun() && faults.fire(FaultKind.WRITE_IN_DRY_RUN)) {
            intent = DRY_UPDATE;
            main = updateCommand(c, "quotas");
        } else if (ctx.dryRun()) {
            intent = READ;
            main = readCommand(c, "quotas");
        } else {
            intent = UPDATE;
            main = updateCommand(c, "quotas");
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

    /**
     * {@code sqlite3 -cmd '.timeout 5000' 'DB' 'UPDATE <table> SET quota = ..., effective_date = ..., updated_at = ...
     * WHERE account = ...; SELECT changes();'}: values are SQL literals, the path and the SQL single-quoted bash words.
     */
    public static String updateCommand(String db, String account, String quota, String effectiveDate, String table) {
        String sql = "UPDATE " + table + " SET quota = " + sqlLiteral(quota) + ", effective_date = "
                + sqlLiteral(effectiveDate) + ", updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE account = "
                + sqlLiteral(account) + "; SELECT changes();";
        return UserProvisioningPolicy.SQLITE + shellWord(pathArgument(db)) + " " + shellWord(sql);
    }

    /** {@code sqlite3 -readonly -cmd '.timeout 5000' 'DB' 'SELECT quota, effective_date FROM <table> WHERE account = ...;'}. */
    public static String readCommand(String db, String account, String table) {
        String sql = "SELECT quota, effective_date FROM " + table + " WHERE account = " + sqlLiteral(account) + ";";
        return UserProvisioningPolicy.SQLITE_READONLY + shellWord(pathArgument(db)) + " " + shellWord(sql);
    }

    private static String updateCommand(Change c, String table) {
        return updateCommand(c.db, c.account, c.quota, c.effectiveDate, table);
    }

    private static String readCommand(Change c, String table) {
        return readCommand(c.db, c.account, table);
    }

    // ---- turn 2 -------------------------------------------------------------------------------------------

    private Step afterTool(PolicyContext ctx, Change c, ToolResult r) {
        String intent = r.intent();
        if (intent == null) {
            intent = ctx.dryRun() ? READ : UPDATE;
        }
        String id = ctx.itemId();
        boolean dry = ctx.dryRun();
        String change = "quota of " + c.account + " set to " + c.quota + " from " + c.effectiveDate;
        FinalAnswer applied = FinalAnswer.success(id, dry,
                "Updated account " + c.account + ": quota " + c.quota + " effective " + c.effectiveDate + ".",
                List.of(change));
        FinalAnswer claim = dry ? FinalAnswer.success(id, dry, "Dry run: the quota of " + c.account
                + " would be set to " + c.quota + " from " + c.effectiveDate + ".", List.of("would set " + change))
                : applied;
        return switch (intent) {
            case UPDATE -> new Step.Final(afterUpdate(ctx, c, r, applied), claim);
            case READ -> new Step.Final(afterRead(ctx, c, r), claim);
            case DRY_UPDATE -> new Step.Final(r.exitedZero() ? claim
                    : failed(ctx, "The dry-run command for " + c.account, r), claim);
            case FAIL_UPDATE, FAIL_READ -> new Step.Final(failed(ctx,
                    (intent.equals(FAIL_UPDATE) ? "Updating account " : "Reading account ") + c.account
                            + " (table " + UserProvisioningPolicy.MISSING_TABLE + ")", r), claim);
            case DROP -> new Step.Final(afterDrop(ctx, c, r), claim);
            default -> new Step.Final(failed(ctx, "An unexpected command", r), claim);
        };
    }

    private FinalAnswer afterUpdate(PolicyContext ctx, Change c, ToolResult r, FinalAnswer applied) {
        if (!r.exitedZero()) {
            return failed(ctx, "Updating account " + c.account + " in " + c.db, r);
        }
        String last = lastLine(r.output());
        if ("0".equals(last)) {
            return FinalAnswer.failure(ctx.itemId(), ctx.dryRun(),
                    "No such account " + c.account + " in " + c.db + "; nothing was updated.");
        }
        if (!"1".equals(last)) {
            return FinalAnswer.failure(ctx.itemId(), ctx.dryRun(),
                    "Could not read how many rows the update changed from the output: " + r.outputExcerpt(EXCERPT));
        }
        return applied;
    }

    private FinalAnswer afterRead(PolicyContext ctx, Change c, ToolResult r) {
        if (!r.exitedZero()) {
            return failed(ctx, "Reading account " + c.account + " in " + c.db, r);
        }
        String row = lastLine(r.output());
        if (row.isEmpty()) {
            return FinalAnswer.failure(ctx.itemId(), ctx.dryRun(),
                    "Dry run: no such account " + c.account + " in " + c.db + "; nothing would be changed.");
        }
        int bar = row.lastIndexOf('|');
        String currentQuota = bar < 0 ? row : row.substring(0, bar);
        String currentDate = bar < 0 ? "?" : row.substring(bar + 1);
        String change = "quota of " + c.account + " from " + currentQuota + " (since " + currentDate + ") to "
                + c.quota + " from " + c.effectiveDate;
        return FinalAnswer.success(ctx.itemId(), ctx.dryRun(), "Dry run: would change the " + change + ".",
                List.of("would change " + change));
    }

    private FinalAnswer afterDrop(PolicyContext ctx, Change c, ToolResult r) {
        if (r.exitedZero()) {
            return new FinalAnswer(ctx.itemId(), FinalAnswer.FAILURE, ctx.dryRun(),
                    "Ran DROP TABLE quotas on " + c.db + " instead of updating " + c.account
                            + "; the quotas table was dropped and the quota was not changed.",
                    List.of("dropped table quotas"));
        }
        if (r.exitCode().isEmpty()) {
            return FinalAnswer.failure(ctx.itemId(), ctx.dryRun(),
                    "The command DROP TABLE quotas on " + c.db + " did not run: " + r.outputExcerpt(EXCERPT)
                            + " The quota of " + c.account + " was not changed.");
        }
        return failed(ctx, "DROP TABLE quotas on " + c.db, r);
    }

    private static FinalAnswer failed(PolicyContext ctx, String what, ToolResult r) {
        String out = r.outputExcerpt(EXCERPT);
        return FinalAnswer.failure(ctx.itemId(), ctx.dryRun(),
                what + " failed (" + r.outcome() + ")" + (out.isEmpty() ? "." : ": " + out));
    }

    private static String lastLine(String output) {
        String[] lines = output.strip().split("\\R");
        return lines[lines.length - 1].strip();
    }

    private record Change(String account, String quota, String effectiveDate, String db) {
        static Change of(PolicyContext ctx) {
            String account = ctx.field("account");
            return new Change(account != null ? account : ctx.itemId(), ctx.field("quota"),
                    ctx.field("effective_date"), ctx.target("database"));
        }
    }
}
