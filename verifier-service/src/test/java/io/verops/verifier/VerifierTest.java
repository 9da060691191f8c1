package io.verops.verifier;

import static io.verops.verifier.TestOperations.INSERT;
import static io.verops.verifier.TestOperations.ITEM;
import static io.verops.verifier.TestOperations.answer;
import static io.verops.verifier.TestOperations.evidence;
import static io.verops.verifier.TestOperations.ran;
import static io.verops.verifier.TestOperations.result;
import static org.assertj.core.api.Assertions.assertThat;

import io.verops.core.ItemStatus;
import io.verops.core.Phase;
import io.verops.core.messages.Check;
import io.verops.core.messages.Evidence;
import io.verops.core.messages.VerdictMessage;
import io.verops.core.operation.Operation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VerifierTest {
    static final Operation OP = TestOperations.userProvisioning();
    static final Map<String, String> FIELDS = Map.of("email", ITEM, "role", "viewer", "team", "ops");

    static Check check(VerdictMessage v, String name) {
        return v.checks().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    static VerdictMessage judge(Phase phase, String answer, Evidence e) {
        return Verifier.judge(result(phase, answer, e), OP, FIELDS, null);
    }

    @Test
    void anHonestSuccessPassesEveryCheck() {
        VerdictMessage v = judge(Phase.APPLY, answer(ITEM, "success", false), evidence(List.of(ran(INSERT, 0))));
        assertThat(v.status()).isEqualTo(ItemStatus.SUCCESS);
        assertThat(v.checks()).extracting(Check::name)
                .containsExactly("run", "schema", "identity", "claims", "output");
        assertThat(v.checks()).allMatch(c -> c.outcome() == Check.Outcome.PASS);
        assertThat(check(v, "claims").detail()).startsWith("claims success; the state-changing command 'sqlite3 -cmd");
        assertThat(check(v, "identity").detail()).isEqualTo("item_id matches");
    }

    @Test
    void eachSchemaErrorIsReportedWithItsPointer() {
        VerdictMessage v = judge(Phase.APPLY, "{\"item_id\":\"" + ITEM + "\",\"status\":\"done\",\"dry_run\":false,"
                + "\"message\":\"ok\",\"details\":1}", evidence(List.of(ran(INSERT, 0))));
        assertThat(v.status()).isEqualTo(ItemStatus.FAILURE);
        Check schema = check(v, "schema");
        assertThat(schema.failed()).isTrue();
        assertThat(schema.observations()).extracting(Check.Observation::name).contains("/status", "/");
        assertThat(schema.detail()).contains("/status: ").contains("changes").contains("details");
        assertThat(v.message()).startsWith("final message does not match the output schema: ");
        assertThat(check(v, "claims").outcome()).isEqualTo(Check.Outcome.NOT_RUN);
    }

    @Test
    void proseAndJsonWithTrailingTextAreNotJson() {
        for (String text : List.of("All done! I took care of it.", answer(ITEM, "success", false) + " Done.")) {
            VerdictMessage v = judge(Phase.APPLY, text, evidence(List.of(ran(INSERT, 0))));
            assertThat(v.status()).isEqualTo(ItemStatus.FAILURE);
            assertThat(check(v, "schema").detail()).isEqualTo("final message is not JSON");
            assertThat(v.message()).startsWith("final message is not JSON: '");
        }
    }

    @Test
    void anAnswerAboutAnotherItemFails() {
        VerdictMessage v = judge(Phase.APPLY, answer("other-" + ITEM, "success", false),
                evidence(List.of(ran(INSERT, 0))));
        assertThat(v.status()).isEqualTo(ItemStatus.FAILURE);
        assertThat(v.message()).isEqualTo("the answer is about another item: item_id is \"other-ann@example.com\", "
                + "not 'ann@example.com'");
        assertThat(check(v, "identity").observations()).singleElement()
                .satisfies(o -> assertThat(o.observed()).isEqualTo("other-" + ITEM));
    }

    @Test
    void anIdentityFieldInTheAnswerMustMatchTheItemsValue() {
        String withEmail = "{\"item_id\":\"" + ITEM + "\",\"email\":\"bob@example.com\"}";
        Check identity = Verifier.identity(result(Phase.APPLY, withEmail, null), OP,
                io.verops.core.Json.parse(withEmail), FIELDS);
        assertThat(identity.failed()).isTrue();
        assertThat(identity.detail()).isEqualTo("the answer is about another item: 'email' is \"bob@example.com\", "
                + "not 'ann@example.com'");
    }

    @Test
    void aSuccessClaimAfterTheOnlyWriteFailedIsContradicted() {
        String failing = "sqlite3 -cmd '.timeout 5000' '/t/users.db' 'INSERT INTO verops_no_such_table VALUES(1)'";
        VerdictMessage v = judge(Phase.APPLY, answer(ITEM, "success", false), evidence(List.of(ran(failing, 1))));
        assertThat(v.status()).isEqualTo(ItemStatus.FAILURE);
        assertThat(v.message()).isEqualTo("claims success but the command 'sqlite3 -cmd '.timeout 5000' "
                + "'/t/users.db' 'INSERT INTO verops_no_such_table ...' exited 1");
        assertThat(check(v, "claims").observations()).singleElement().satisfies(o -> {
            assertThat(o.command()).isEqualTo(failing);
            assertThat(o.observed()).isEqualTo("exited 1");
        });
    }

    @Test
    void aFailedLookupBeforeASuccessfulWriteDoesNotContradictSuccess() {
        VerdictMessage v = judge(Phase.APPLY, answer(ITEM, "success", false), evidence(List.of(
                ran("sqlite3 /t/users.db 'SELECT * FROM user'", 1), ran(INSERT, 0))));
        assertThat(check(v, "claims").outcome()).isEqualTo(Check.Outcome.PASS);
        assertThat(v.status()).isEqualTo(ItemStatus.SUCCESS);
    }

    @Test
    void aSuccessfulLookupDoesNotRescueAFailedWrite() {
        VerdictMessage v = judge(Phase.APPLY, answer(ITEM, "success", false), evidence(List.of(
                ran("sqlite3 /t/users.db 'SELECT count(*) FROM users'", 0), ran(INSERT, 19))));
        assertThat(v.status()).isEqualTo(ItemStatus.FAILURE);
        assertThat(v.message()).startsWith("claims success but the command 'sqlite3 -cmd").endsWith("exited 19");
    }

    @Test
    void aSuccessClaimAfterABlockedCommandIsContradicted() {
        Evidence e = new Evidence(List.of(), List.of(new Evidence.BlockedCommand("sqlite3 /t/users.db 'DROP TABLE users'",
                "forbidden:drop", "DROP of a table is forbidden")), List.of(), null, "agent_message");
        VerdictMessage v = judge(Phase.APPLY, answer(ITEM, "success", false), e);
        assertThat(v.message()).isEqualTo("claims success but the command 'sqlite3 /t/users.db 'DROP TABLE users'' was "
                + "blocked by a hook (rule forbidden:drop): DROP of a table is forbidden");
    }

    @Test
    void aSuccessClaimWithoutAnyCommandInAnApplyIsContradictedButNotInADryRun() {
        assertThat(judge(Phase.APPLY, answer(ITEM, "success", false), evidence(List.of())).message())
                .isEqualTo("claims success but no command ran in the apply");
        VerdictMessage dry = judge(Phase.DRY_RUN, answer(ITEM, "success", true), evidence(List.of()));
        assertThat(dry.status()).isEqualTo(ItemStatus.SUCCESS);
    }

    @Test
    void aDryRunInWhichAWriteSucceededContradictsItselfWhateverItClaims() {
        for (String claimed : List.of("success", "failure")) {
            VerdictMessage v = judge(Phase.DRY_RUN, answer(ITEM, claimed, true), evidence(List.of(ran(INSERT, 0))));
            assertThat(v.status()).isEqualTo(ItemStatus.FAILURE);
            assertThat(check(v, "claims").detail()).startsWith("the dry run ran the state-changing command 'sqlite3 -cmd")
                    .endsWith("and it exited 0");
        }
        VerdictMessage refused = judge(Phase.DRY_RUN, answer(ITEM, "success", true), evidence(List.of(ran(INSERT, 8))));
        assertThat(refused.message()).startsWith("claims success but the command 'sqlite3 -cmd").endsWith("exited 8");
    }

    @Test
    void aFailedTurnOrAFinalMessageThatIsNotLastContradictsSuccess() {
        Evidence failed = new Evidence(List.of(ran(INSERT, 0)), List.of(), List.of(), "stream disconnected",
                "turn.failed");
        assertThat(judge(Phase.APPLY, answer(ITEM, "success", false), failed).message())
                .isEqualTo("claims success but the turn failed: stream disconnected");
        Evidence commandLast = new Evidence(List.of(ran(INSERT, 0)), List.of(), List.of(), null, "command_execution");
        assertThat(judge(Phase.APPLY, answer(ITEM, "success", false), commandLast).message())
                .isEqualTo("claims success but the final message is not the last event (the last was a "
                        + "command_execution)");
    }

    @Test
    void withoutEvidenceTheClaimIsNotCheckedAndNotPassed() {
        VerdictMessage v = judge(Phase.APPLY, answer(ITEM, "success", false), null);
        assertThat(check(v, "claims").outcome()).isEqualTo(Check.Outcome.NOT_RUN);
        assertThat(check(v, "output").outcome()).isEqualTo(Check.Outcome.NOT_RUN);
    }

    @Test
    void anHonestFailureIsAFailureWhoseClaimHolds() {
        VerdictMessage v = judge(Phase.APPLY, answer(ITEM, "failure", false), evidence(List.of(ran(INSERT, 19))));
        assertThat(v.status()).isEqualTo(ItemStatus.FAILURE);
        assertThat(v.message()).isEqualTo("agent says failure");
        assertThat(check(v, "claims").outcome()).isEqualTo(Check.Outcome.PASS);
    }

    @Test
    void aFailedPostConditionTurnsASuccessIntoAFailure() {
        Check post = Check.fail("post_conditions", "'user-created': expected [..], observed []");
        VerdictMessage v = Verifier.judge(result(Phase.APPLY, answer(ITEM, "success", false),
                evidence(List.of(ran(INSERT, 0)))), OP, FIELDS, post);
        assertThat(v.status()).isEqualTo(ItemStatus.FAILURE);
        assertThat(v.message()).isEqualTo("post-condition failed: 'user-created': expected [..], observed []");
        assertThat(v.checks()).extracting(Check::name).containsExactly("run", "schema", "identity", "claims",
                "post_conditions", "output");
    }

    @Test
    void anErrorFloodOrDestructiveOutputFailsTheItem() {
        Evidence flood = evidence(List.of(new Evidence.Command(INSERT, 0, "completed", "...", 20, null)));
        VerdictMessage v = judge(Phase.APPLY, answer(ITEM, "success", false), flood);
        assertThat(v.status()).isEqualTo(ItemStatus.FAILURE);
        assertThat(v.message()).startsWith("the output of 'sqlite3 -cmd").endsWith("has 20 lines mentioning error (limit 10)");

        Evidence destructive = evidence(List.of(new Evidence.Command("echo 'deleted 3 rows'", 0, "completed",
                "deleted 3 rows", 0, "deleted 3 rows"), ran(INSERT, 0)));
        VerdictMessage d = judge(Phase.APPLY, answer(ITEM, "success", false), destructive);
        assertThat(d.status()).isEqualTo(ItemStatus.FAILURE);
        assertThat(d.message()).isEqualTo("the output of 'echo 'deleted 3 rows'' ('deleted 3 rows') reports something "
                + "destructive, and the operation does not allow destructive output");

        Operation allowing = TestOperations.userProvisioning(def -> ((com.fasterxml.jackson.databind.node.ObjectNode)
                def.get("gates")).putObject("destructive_output").put("allowed", true));
        VerdictMessage allowed = Verifier.judge(result(Phase.APPLY, answer(ITEM, "success", false), destructive),
                allowing, FIELDS, null);
        assertThat(allowed.status()).isEqualTo(ItemStatus.SUCCESS);
    }

    @Test
    void aSkippedItemIsNotJudgedFurther() {
        VerdictMessage v = Verifier.judge(io.verops.core.messages.ResultMessage.skipped(
                new io.verops.core.messages.ItemMessage("b-1", "user-provisioning", ITEM, 1, Phase.APPLY, FIELDS,
                        java.time.Instant.EPOCH), "batch halted: 4 of 50 items failed (8.0% > 5%)",
                java.time.Instant.EPOCH), OP, FIELDS, null);
        assertThat(v.status()).isEqualTo(ItemStatus.SKIPPED);
        assertThat(v.message()).isEqualTo("batch halted: 4 of 50 items failed (8.0% > 5%)");
        assertThat(v.checks()).extracting(Check::name).containsExactly("run");
    }
}
