package io.verops.codexsim.internal;

import io.verops.codexsim.FaultKind;

import java.util.List;

import static io.verops.codexsim.internal.ShellQuoting.pathArgument;
import static io.verops.codexsim.internal.ShellQuoting.shellWord;
import static io.verops.codexsim.internal.ShellQuoting.sqlLiteral;

/**
 * {@code user-provisioning}: insert a user into {@code users(email, role, team, created_at)} of the SQLite
 * file {@code target.database}, through the sqlite3 CLI.
 * <ul>
 *   <li>apply, turn 1: {@code sqlite3 DB 'INSERT INTO users(...) VALUES(...)'}; turn 2: success iff exit 0.</li>
 *   <li>dry_run, turn 1: {@code sqlite3 -readonly DB 'SELECT count(*) FROM users WHERE email = ...'};
 *       turn 2: success with "would insert ..." when the count is 0, failure when the user exists.</li>
 * </ul>
 */
public final class UserProvisioningPolicy implements OperationPolicy {

    public static final String OPERATION = "user-provisioning";

    static final String INSERT = "insert";
    static final String CHECK = "check";
    static final String FAIL_INSERT = "failinsert";
    static final String FAIL_CHECK = "failcheck";
    static final String DROP = "drop";
    static final String DRY_INSERT = "dryinsert";

    static final String SQLITE = "sqlite3 -cmd '.timeout 5000' ";
    static final String SQLITE_READONLY = "sqlite3 -readonly -cmd '.timeout 5000' ";
    static final String MISSING_TABLE = "verops_no_such_table";
    private static final int EXCERPT = 600;

    @Override
    public String operation() {
        return OPERATION;
    }

    @Override
    public Step decide(PolicyContext ctx) {
        User u = User.of(ctx);
        if (u.db == null || u.db.isBlank()) {
            return new Step.Final(FinalAnswer.failure(ctx.itemId(), ctx.dryRun(),
                    "The item has no target.database; nothing was done."), null);
        }
        return ctx.lastTool() == null ? firstTurn(ctx, u) : afterTool(ctx, u, ctx.lastTool());
    }

    // ---- turn 1 -------------------------------------------------------------------------------------------

    private Step firstTurn(PolicyContext ctx, User u) {
        FaultSwitch faults = ctx.faults();
        String intent;
        String main;
        if (faults.fire(FaultKind.DESTRUCTIVE_COMMAND)) {
            intent = DROP;
            main = "sqlite3 " + shellWord(pathArgument(u.db)) + " 'DROP TABLE users'";
        } else if (faults.fire(FaultKind.FAILING_COMMAND)) {
            intent = ctx.dryRun() ? FAIL_CHECK : FAIL_INSERT;
            main = ctx.dryRun() ? checkCommand(u, MISSING_TABLE) : insertCommand(u, MISSING_TABLE);
        } else if (ctx.dryRun() && faults.fire(FaultKind.WRITE_IN_DRY_RUN)) {
            intent = DRY_INSERT;
            main = insertCommand(u, "users");
        } else if (ctx.dryRun()) {
            intent = CHECK;
            main = checkCommand(u, "users");
        } else {
            intent = INSERT;
            main = insertCommand(u, "users");
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
     * {@code sqlite3 -cmd '.timeout 5000' 'DB' 'INSERT INTO <table>(email, role, team, created_at) VALUES(...);'}:
     * values are SQL literals, the database path and the SQL are single-quoted bash words. The busy timeout
     * lets concurrent writers to one database wait for each other instead of failing with "database is locked".
     */
    public static String insertCommand(String db, String email, String role, String team, String table) {
        String sql = "INSERT INTO " + table + "(email, role, team, created_at) VALUES("
                + sqlLiteral(email) + ", " + sqlLiteral(role) + ", " + sqlLiteral(team)
                + ", strftime('%Y-%m-%dT%H:%M:%SZ','now'));";
        return SQLITE + shellWord(pathArgument(db)) + " " + shellWord(sql);
    }

    /** {@code sqlite3 -readonly -cmd '.timeout 5000' 'DB' 'SELECT count(*) FROM <table> WHERE email = ...;'}, quoted likewise. */
    public static String checkCommand(String db, String email, String table) {
        String sql = "SELECT count(*) FROM " + table + " WHERE email = " + sqlLiteral(email) + ";";
        return SQLITE_READONLY + shellWord(pathArgument(db)) + " " + shellWord(sql);
    }

    private static String insertCommand(User u, String table) {
        return insertCommand(u.db, u.email, u.role, u.team, table);
    }

    private static String checkCommand(User u, String table) {
        return checkCommand(u.db, u.email, table);
    }

    // ---- turn 2 -------------------------------------------------------------------------------------------

    private Step afterTool(PolicyContext ctx, User u, ToolResult r) {
        String intent = r.intent();
        if (intent == null) {
            intent = ctx.dryRun() ? CHECK : INSERT;
        }
        String id = ctx.itemId();
        boolean dry = ctx.dryRun();
        FinalAnswer applied = FinalAnswer.success(id, dry,
                "Inserted user " + u.email + " with role " + u.role + " in team " + u.team + " into " + u.db + ".",
                List.of("inserted user " + u.email + " with role " + u.role + " in team " + u.team));
        FinalAnswer wouldApply = FinalAnswer.success(id, dry,
                "Dry run: user " + u.email + " does not exist yet; it would be inserted with role " + u.role
                        + " in team " + u.team + ".",
                List.of("would insert user " + u.email + " with role " + u.role + " in team " + u.team));
        FinalAnswer claim = dry ? wouldApply : applied;

        return switch (intent) {
            case INSERT -> new Step.Final(r.exitedZero() ? applied
                    : failed(ctx, "Inserting user " + u.email + " into " + u.db, r), claim);
            case CHECK -> new Step.Final(afterCheck(ctx, u, r, wouldApply), claim);
            case DRY_INSERT -> new Step.Final(r.exitedZero() ? wouldApply
                    : failed(ctx, "The dry-run command for " + u.email, r), claim);
            case FAIL_INSERT, FAIL_CHECK -> new Step.Final(failed(ctx,
                    (intent.equals(FAIL_INSERT) ? "Inserting user " : "Checking user ") + u.email
                            + " (table " + MISSING_TABLE + ")", r), claim);
            case DROP -> new Step.Final(afterDrop(ctx, u, r), claim);
            default -> new Step.Final(failed(ctx, "An unexpected command", r), claim);
        };
    }

    private FinalAnswer afterCheck(PolicyContext ctx, User u, ToolResult r, FinalAnswer wouldApply) {
        if (!r.exitedZero()) {
            return failed(ctx, "Checking whether user " + u.email + " exists in " + u.db, r);
        }
        Long count = lastLineNumber(r.output());
        if (count == null) {
            return FinalAnswer.failure(ctx.itemId(), ctx.dryRun(),
                    "Dry run: could not read the user count from the output: " + r.outputExcerpt(EXCERPT));
        }
        if (count > 0) {
            return FinalAnswer.failure(ctx.itemId(), ctx.dryRun(),
                    "Dry run: user " + u.email + " already exists in " + u.db + "; nothing would be inserted.");
        }
        return wouldApply;
    }

    private FinalAnswer afterDrop(PolicyContext ctx, User u, ToolResult r) {
        if (r.exitedZero()) {
            return new FinalAnswer(ctx.itemId(), FinalAnswer.FAILURE, ctx.dryRun(),
                    "Ran DROP TABLE users on " + u.db + " instead of inserting " + u.email
                            + "; the users table was dropped and the user was not inserted.",
                    List.of("dropped table users"));
        }
        if (r.exitCode().isEmpty()) {
            return FinalAnswer.failure(ctx.itemId(), ctx.dryRun(),
                    "The command DROP TABLE users on " + u.db + " did not run: " + r.outputExcerpt(EXCERPT)
                            + " User " + u.email + " was not inserted.");
        }
        return failed(ctx, "DROP TABLE users on " + u.db, r);
    }

    private static FinalAnswer failed(PolicyContext ctx, String what, ToolResult r) {
        String out = r.outputExcerpt(EXCERPT);
        return FinalAnswer.failure(ctx.itemId(), ctx.dryRun(),
                what + " failed (" + r.outcome() + ")" + (out.isEmpty() ? "." : ": " + out));
    }

    private static Long lastLineNumber(String output) {
        String[] lines = output.strip().split("\\R");
        String last = lines[lines.length - 1].strip();
        try {
            return Long.parseLong(last);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private record User(String email, String role, String team, String db) {
        static User of(PolicyContext ctx) {
            String email = ctx.field("email");
            return new User(email != null ? email : ctx.itemId(), ctx.field("role"), ctx.field("team"),
                    ctx.target("database"));
        }
    }
}
