package io.verops.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.verops.core.Json;
import io.verops.core.Phase;
import io.verops.core.messages.Check;
import io.verops.core.operation.Operation;
import io.verops.verifier.internal.PostConditionRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Post-conditions run by verops on a real SQLite target, checked against what the sqlite3 CLI answers. */
class PostConditionsTest {
    static final Operation OP = TestOperations.userProvisioning();
    final PostConditionRunner runner = new PostConditionRunner(Duration.ofSeconds(30));
    Path db;

    @BeforeEach
    void target() throws Exception {
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "post")), "db");
        db = dir.resolve("users.db");
        sqlite(db, Files.readString(TestOperations.root().resolve("operations/user-provisioning/target-setup.sql")));
        sqlite(db, "INSERT INTO users VALUES('ann@example.com', 'viewer', 'ops', '2026-01-01T00:00:00Z');"
                + "INSERT INTO users VALUES('o''brien@example.com', 'admin', 'sales, \"north\"; DROP TABLE users; --', "
                + "'2026-01-01T00:00:00Z');");
    }

    static void sqlite(Path db, String sql) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sqlite3", db.toString()).redirectErrorStream(true).start();
        p.getOutputStream().write(sql.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
    }

    @Test
    void theAppliedUserIsFoundWithItsRoleAndTeamAndTheCheckRecordsWhatItRanAndSaw() throws Exception {
        Check c = runner.run(OP, Phase.APPLY, db, Map.of("email", "ann@example.com", "role", "viewer", "team", "ops"));
        assertThat(c.outcome()).isEqualTo(Check.Outcome.PASS);
        assertThat(c.detail()).isEqualTo("1 post-condition(s) hold on users.db");
        Check.Observation o = c.observations().get(0);
        assertThat(o.name()).isEqualTo("user-created");
        assertThat(o.command()).isEqualTo("sqlite3 -readonly -json '" + db + "' 'SELECT role, team, created_at IS NOT "
                + "NULL AS has_created_at FROM users WHERE email = '\\''ann@example.com'\\'''");
        assertThat(o.expected()).isEqualTo("[{\"role\":\"viewer\",\"team\":\"ops\",\"has_created_at\":1}]");
        assertThat(o.observed()).isEqualTo("[{\"role\":\"viewer\",\"team\":\"ops\",\"has_created_at\":1}]");
    }

    @Test
    void theShownCommandRunsAgainInAShellWithTheSameAnswer() throws Exception {
        Check c = runner.run(OP, Phase.APPLY, db, Map.of("email", "o'brien@example.com", "role", "admin",
                "team", "sales, \"north\"; DROP TABLE users; --"));
        assertThat(c.outcome()).as(c.toString()).isEqualTo(Check.Outcome.PASS);
        assertTheShownCommandAnswersTheSame(c);
    }

    @Test
    void valuesAreBoundAsDataSoAHostileValueFindsNothingAndChangesNothing() throws Exception {
        Check c = runner.run(OP, Phase.APPLY, db, Map.of("email", "x' OR '1'='1", "role", "viewer", "team", "ops"));
        assertThat(c.outcome()).isEqualTo(Check.Outcome.FAIL);
        assertThat(c.observations().get(0).observed()).isEqualTo("[]");
        Check drop = runner.run(OP, Phase.DRY_RUN, db, Map.of("email", "'; DROP TABLE users; --", "role", "viewer",
                "team", "ops"));
        assertThat(drop.outcome()).isEqualTo(Check.Outcome.PASS);
        Check still = runner.run(OP, Phase.APPLY, db, Map.of("email", "ann@example.com", "role", "viewer", "team",
                "ops"));
        assertThat(still.outcome()).isEqualTo(Check.Outcome.PASS);
    }

    @Test
    void aMissingUserFailsWithExpectedAndObservedRows() throws Exception {
        Check c = runner.run(OP, Phase.APPLY, db, Map.of("email", "bob@example.com", "role", "editor", "team", "x"));
        assertThat(c.failed()).isTrue();
        assertThat(c.detail()).isEqualTo("'user-created': expected [{\"role\":\"editor\",\"team\":\"x\","
                + "\"has_created_at\":1}], observed []");
    }

    @Test
    void aWrongRoleFails() throws Exception {
        Check c = runner.run(OP, Phase.APPLY, db, Map.of("email", "ann@example.com", "role", "admin", "team", "ops"));
        assertThat(c.failed()).isTrue();
        assertThat(c.observations().get(0).observed()).contains("\"role\":\"viewer\"");
    }

    @Test
    void inADryRunTheUserMustStillNotExist() throws Exception {
        assertThat(runner.run(OP, Phase.DRY_RUN, db, Map.of("email", "bob@example.com", "role", "editor",
                "team", "x")).outcome()).isEqualTo(Check.Outcome.PASS);
        Check exists = runner.run(OP, Phase.DRY_RUN, db, Map.of("email", "ann@example.com", "role", "viewer",
                "team", "ops"));
        assertThat(exists.failed()).isTrue();
        assertThat(exists.detail()).isEqualTo("'user-not-created-yet': expected [{\"users\":0}], observed [{\"users\":1}]");
    }

    @Test
    void anUnreadableTargetOrUnknownFieldsFailTheCheck() throws Exception {
        Check missing = runner.run(OP, Phase.APPLY, db.resolveSibling("nope.db"), Map.of("email", "a@b.c", "role",
                "viewer", "team", "t"));
        assertThat(missing.failed()).isTrue();
        assertThat(missing.observations().get(0).observed())
                .isEqualTo("cannot open the database " + db.resolveSibling("nope.db") + ": no such file");
        assertThat(runner.run(OP, Phase.APPLY, db, null).detail()).startsWith("the item's fields are unknown");
        assertThat(runner.run(OP, Phase.APPLY, null, Map.of()).detail())
                .isEqualTo("the operation has no target database to check");
    }

    @Test
    void anOperationWithoutPostConditionsForThePhaseHasNoCheck() throws Exception {
        Operation none = TestOperations.userProvisioning(def -> def.remove("post_conditions"));
        assertThat(runner.run(none, Phase.APPLY, db, Map.of())).isNull();
    }

    @Test
    void secretFieldsNeverAppearInTheRecord() throws Exception {
        Operation secret = TestOperations.userProvisioning(def -> {
            for (var f : def.get("fields")) {
                if (f.path("name").asText().equals("team")) {
                    ((ObjectNode) f).put("secret", true);
                }
            }
        });
        Check c = runner.run(secret, Phase.APPLY, db, Map.of("email", "ann@example.com", "role", "viewer",
                "team", "ops"));
        assertThat(c.outcome()).isEqualTo(Check.Outcome.PASS);
        String recorded = Json.write(c);
        assertThat(recorded).doesNotContain("\"ops\"").contains("<secret>");
    }

    /** An operation whose apply post-condition is this query, expecting one row {"users": 0}. */
    static Operation withQuery(String query) {
        return TestOperations.userProvisioning(def -> {
            for (var pc : def.get("post_conditions")) {
                if (pc.path("phase").asText().equals("apply")) {
                    ((ObjectNode) pc).put("query", query);
                    ((ObjectNode) pc).set("expect", Json.mapper().createArrayNode().add(
                            Json.mapper().createObjectNode().put("users", 0)));
                }
            }
        });
    }

    @Test
    void aQueryThatWouldWriteIsRefusedAndTheTargetIsUnchanged() throws Exception {
        Operation writes = withQuery("WITH gone AS (SELECT 1) DELETE FROM users WHERE email = :email RETURNING 0 AS users");
        Check c = runner.run(writes, Phase.APPLY, db, Map.of("email", "ann@example.com", "role", "viewer", "team",
                "ops"));
        assertThat(c.failed()).isTrue();
        assertThat(c.observations().get(0).observed()).startsWith("SQLite refused the query: ").contains("readonly");
        assertThat(runner.run(OP, Phase.APPLY, db, Map.of("email", "ann@example.com", "role", "viewer", "team",
                "ops")).outcome()).isEqualTo(Check.Outcome.PASS);
    }

    @Test
    void aQueryThatDoesNotEndInTimeIsStoppedAndFailsTheCheck() throws Exception {
        PostConditionRunner quick = new PostConditionRunner(Duration.ofSeconds(1));
        Operation endless = withQuery("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) "
                + "SELECT count(*) AS users FROM n WHERE x = length(:email)");
        Check c = quick.run(endless, Phase.APPLY, db, Map.of("email", "a@b.c", "role", "viewer", "team", "t"));
        assertThat(c.failed()).isTrue();
        assertThat(c.observations().get(0).observed()).isEqualTo("the query did not answer within 1 s");
    }

    @Test
    void aQueryReturningMoreRowsThanAPostConditionCanMeanIsCutShort() throws Exception {
        Operation many = withQuery("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n LIMIT 5000) "
                + "SELECT x AS users FROM n WHERE :email <> ''");
        Check c = runner.run(many, Phase.APPLY, db, Map.of("email", "a@b.c", "role", "viewer", "team", "t"));
        assertThat(c.failed()).isTrue();
        assertThat(c.observations().get(0).observed())
                .isEqualTo("the query returned more than " + PostConditionRunner.MAX_ROWS + " rows");
    }

    @Test
    void aTargetWhosePathHoldsUriCharactersIsQueriedByItsName() throws Exception {
        Path odd = Files.createDirectories(db.resolveSibling("a dir?x=1#y%20")).resolve("users ?.db");
        Files.copy(db, odd);
        Check c = runner.run(OP, Phase.APPLY, odd, Map.of("email", "ann@example.com", "role", "viewer", "team",
                "ops"));
        assertThat(c.outcome()).as(c.toString()).isEqualTo(Check.Outcome.PASS);
        assertTheShownCommandAnswersTheSame(c);
    }

    @Test
    void valuesOfEveryStorageClassAreObservedAsTheSqlite3CliShowsThem() throws Exception {
        Operation typed = withQuery("SELECT 7 AS i, 2.5 AS r, 'x\"y' AS t, NULL AS n, count(*) AS users "
                + "FROM users WHERE email = :email");
        Check c = runner.run(typed, Phase.APPLY, db, Map.of("email", "nobody@example.com", "role", "viewer",
                "team", "t"));
        Check.Observation o = c.observations().get(0);
        assertThat(o.observed()).isEqualTo("[{\"i\":7,\"r\":2.5,\"t\":\"x\\\"y\",\"n\":null,\"users\":0}]");
        Process p = new ProcessBuilder("bash", "-c", o.command()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor()).isZero();
        assertThat(Json.mapper().readTree(out)).isEqualTo(Json.mapper().readTree(o.observed()));
    }

    /** The recorded command, run by the sqlite3 CLI in a shell, prints exactly the recorded observation. */
    private static void assertTheShownCommandAnswersTheSame(Check c) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", c.observations().get(0).command()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor()).isZero();
        assertThat(out).isEqualTo(c.observations().get(0).observed());
    }
}
