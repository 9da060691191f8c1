package io.verops.verifier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.verops.core.ItemStatus;
import io.verops.core.Json;
import io.verops.core.Phase;
import io.verops.core.messages.Check;
import io.verops.core.messages.Evidence;
import io.verops.core.messages.ResultMessage;
import io.verops.core.messages.VerdictMessage;
import io.verops.core.operation.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Judges one executor result without trusting the agent (see docs/verification.md). The run must have finished;
 * the final message must be JSON valid against the operation's output schema (codex does not check it); it must be
 * about this item; its claim must agree with the evidence of the event stream; the post-conditions verops ran on
 * the target must hold; and no tool output may flood errors or report destruction. Pure: the post-conditions'
 * outcome is passed in, already run.
 */
public final class Verifier {
    public static final String RUN = "run";
    public static final String SCHEMA = "schema";
    public static final String IDENTITY = "identity";
    public static final String CLAIMS = "claims";
    public static final String POST_CONDITIONS = "post_conditions";
    public static final String OUTPUT = "output";

    /** SQL that changes data or schema: a command holding it is state-changing. */
    private static final Pattern STATE_CHANGE = Pattern.compile("(?i)(^|[^\\p{L}\\p{N}_])(insert(\\s+or\\s+[a-z]+)?"
            + "\\s+into|replace\\s+into|update\\s+[^\\s;]+\\s+set|delete\\s+from|create\\s+([a-z]+\\s+)*(table|index|view"
            + "|trigger)|alter\\s+table|drop\\s+[a-z]+|truncate\\s)");
    private static final ObjectReader STRICT_JSON = Json.mapper().reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Verifier() {
    }

    /**
     * @param fields         the item's normalised fields (for the identity fields); empty when unknown
     * @param postConditions the outcome of the phase's post-conditions, run by verops on the target; null when the
     *                       operation declares none for the phase or the item did not run
     */
    public static VerdictMessage judge(ResultMessage r, Operation op, Map<String, String> fields, Check postConditions) {
        List<Check> checks = new ArrayList<>();
        JsonNode output = null;
        ItemStatus status;
        String message;
        if (r.skipped() != null) {
            checks.add(Check.notRun(RUN, r.skipped()));
            return verdict(r, ItemStatus.SKIPPED, r.skipped(), checks, null);
        } else if (r.indeterminate() != null) {
            checks.add(Check.fail(RUN, r.indeterminate()));
            status = ItemStatus.INDETERMINATE;
            message = r.indeterminate();
        } else if (r.failure() != null) {
            checks.add(Check.fail(RUN, r.failure()));
            status = ItemStatus.FAILURE;
            message = r.failure();
        } else if (r.finalMessage() == null || r.finalMessage().isBlank()) {
            checks.add(Check.fail(RUN, "codex finished without a final message"));
            status = ItemStatus.FAILURE;
            message = "codex finished without a final message";
        } else {
            checks.add(Check.pass(RUN, "codex exited " + r.exitCode() + " after " + r.attempts() + " attempt(s)"));
            output = parse(r.finalMessage());
            List<String> errors = output == null ? List.of() : op.outputSchema().validate(output);
            if (output == null) {
                checks.add(Check.fail(SCHEMA, "final message is not JSON"));
                status = ItemStatus.FAILURE;
                message = "final message is not JSON: '" + shorten(r.finalMessage(), 200) + "'";
            } else if (!errors.isEmpty()) {
                String detail = String.join("; ", errors);
                checks.add(Check.fail(SCHEMA, detail).withObservations(errors.stream().map(Verifier::schemaError).toList()));
                status = ItemStatus.FAILURE;
                message = "final message does not match the output schema: " + detail;
            } else {
                checks.add(Check.pass(SCHEMA, "valid against " + op.outputSchemaFile().getFileName()));
                Check identity = identity(r, op, output, fields);
                checks.add(identity);
                String claimed = output.path("status").asText("success");
                Check claims = claims(claimed, r.phase(), r.evidence(), output.path("message").asText(""));
                checks.add(claims);
                if (identity.failed()) {
                    status = ItemStatus.FAILURE;
                    message = identity.detail();
                } else if (claims.failed()) {
                    status = ItemStatus.FAILURE;
                    message = claims.detail();
                } else {
                    status = switch (claimed) {
                        case "success" -> ItemStatus.SUCCESS;
                        case "skipped" -> ItemStatus.SKIPPED;
                        default -> ItemStatus.FAILURE;
                    };
                    message = output.path("message").asText("");
                    if (message.isBlank()) {
                        message = "agent reports " + claimed;
                    }
                }
            }
            if (output == null || !errors.isEmpty()) {
                checks.add(Check.notRun(IDENTITY, "no valid answer to read the item from"));
                checks.add(Check.notRun(CLAIMS, "no valid answer to read a claim from"));
            }
        }
        if (postConditions != null) {
            checks.add(postConditions);
            if (postConditions.failed() && status == ItemStatus.SUCCESS) {
                status = ItemStatus.FAILURE;
                message = "post-condition failed: " + postConditions.detail();
            }
        }
        Check out = output(r.evidence(), op);
        checks.add(out);
        if (out.failed() && status == ItemStatus.SUCCESS) {
            status = ItemStatus.FAILURE;
            message = out.detail();
        }
        return verdict(r, status, message, checks, output);
    }

    private static VerdictMessage verdict(ResultMessage r, ItemStatus status, String message, List<Check> checks,
                                          JsonNode output) {
        return new VerdictMessage(r.batchId(), r.operation(), r.itemId(), r.row(), r.phase(), status, message,
                r.attempts(), r.retried(), r.usage(), r.auditEvents(), checks, output, r.startedAt(), r.finishedAt(),
                r.codexMillis());
    }

    /** The final message as JSON, or null when it is not exactly one JSON value. */
    private static JsonNode parse(String text) {
        try {
            JsonNode n = STRICT_JSON.readTree(text);
            return n == null || n.isMissingNode() ? null : n;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static Check.Observation schemaError(String error) {
        int colon = error.indexOf(": ");
        String pointer = colon < 0 ? "/" : error.substring(0, colon);
        return new Check.Observation(pointer, null, null, colon < 0 ? error : error.substring(colon + 2),
                Check.Outcome.FAIL);
    }

    /** The answer's item_id, and any identity field it carries, against the item's. */
    static Check identity(ResultMessage r, Operation op, JsonNode output, Map<String, String> fields) {
        List<String> mismatches = new ArrayList<>();
        List<String> matched = new ArrayList<>();
        List<Check.Observation> seen = new ArrayList<>();
        JsonNode id = output.get("item_id");
        if (id != null && !id.isNull()) {
            boolean ok = id.isTextual() && id.asText().equals(r.itemId());
            (ok ? matched : mismatches).add("item_id" + (ok ? "" : " is " + id + ", not '" + r.itemId() + "'"));
            seen.add(new Check.Observation("item_id", null, r.itemId(), id.isTextual() ? id.asText() : id.toString(),
                    ok ? Check.Outcome.PASS : Check.Outcome.FAIL));
        }
        for (String f : op.identity()) {
            JsonNode v = output.get(f);
            String expected = fields.get(f);
            if (v == null || v.isNull() || expected == null || f.equals("item_id")) {
                continue;
            }
            boolean ok = v.asText().equals(expected);
            (ok ? matched : mismatches).add("'" + f + "'" + (ok ? "" : " is " + v + ", not '" + expected + "'"));
            seen.add(new Check.Observation(f, null, expected, v.asText(), ok ? Check.Outcome.PASS : Check.Outcome.FAIL));
        }
        if (!mismatches.isEmpty()) {
            return Check.fail(IDENTITY, "the answer is about another item: " + String.join(", ", mismatches))
                    .withObservations(seen);
        }
        if (matched.isEmpty()) {
            return Check.notRun(IDENTITY, "the answer names no item (no item_id, no identity field)");
        }
        return Check.pass(IDENTITY, String.join(" and ", matched) + " match" + (matched.size() == 1 ? "es" : ""))
                .withObservations(seen);
    }

    /**
     * The agent's claim against the evidence of its event stream. A dry run contradicts itself when a state-changing
     * command succeeded in it. A success claim is contradicted by a failed turn, by a final message that is not the
     * last event, by an apply in which no command ran, and by state-changing commands none of which succeeded
     * (exited non-zero, or blocked by a hook) — or, when no command looks state-changing, by commands none of which
     * succeeded.
     */
    static Check claims(String claimed, Phase phase, Evidence e, String agentMessage) {
        if (e == null) {
            return claimed.equals("success")
                    ? Check.notRun(CLAIMS, "the result carries no evidence of the event stream: the success claim is "
                    + "not checked")
                    : Check.pass(CLAIMS, "the agent reports " + claimed + (agentMessage.isBlank() ? ""
                    : ": " + shorten(agentMessage, 200)) + " (no evidence of the event stream to compare)");
        }
        List<Attempt> attempts = new ArrayList<>();
        for (Evidence.Command c : e.commands()) {
            attempts.add(new Attempt(c.command(), c.succeeded(), c.exitCode() != null ? "exited " + c.exitCode()
                    : "did not finish (" + c.status() + ")"));
        }
        for (Evidence.BlockedCommand b : e.blockedCommands()) {
            attempts.add(new Attempt(b.command(), false, "was blocked by a hook" + (b.rule() == null ? ""
                    : " (rule " + b.rule() + ")") + (b.reason() == null ? "" : ": " + b.reason())));
        }
        List<Check.Observation> seen = attempts.stream().map(a -> new Check.Observation("command", a.command(), null,
                a.outcome(), a.succeeded() ? Check.Outcome.PASS : Check.Outcome.FAIL)).toList();
        List<Attempt> writes = attempts.stream().filter(a -> STATE_CHANGE.matcher(a.command()).find()).toList();
        if (phase == Phase.DRY_RUN) {
            for (Attempt w : writes) {
                if (w.succeeded()) {
                    return Check.fail(CLAIMS, "the dry run ran the state-changing command '" + shortCommand(w.command())
                            + "' and it exited 0").withObservations(seen);
                }
            }
        }
        if (!claimed.equals("success")) {
            return Check.pass(CLAIMS, "the agent reports " + claimed + (agentMessage.isBlank() ? ""
                    : ": " + shorten(agentMessage, 200))).withObservations(seen);
        }
        if (e.turnFailed() != null) {
            return Check.fail(CLAIMS, "claims success but the turn failed: " + shorten(e.turnFailed(), 200))
                    .withObservations(seen);
        }
        if (!"agent_message".equals(e.lastEventType())) {
            return Check.fail(CLAIMS, "claims success but the final message is not the last event (the last was "
                    + (e.lastEventType() == null ? "nothing" : "a " + e.lastEventType()) + ")").withObservations(seen);
        }
        if (attempts.isEmpty()) {
            return phase == Phase.APPLY
                    ? Check.fail(CLAIMS, "claims success but no command ran in the apply")
                    : Check.pass(CLAIMS, "claims success; no command ran (dry run)");
        }
        List<Attempt> candidates = writes.isEmpty() ? attempts : writes;
        if (candidates.stream().noneMatch(Attempt::succeeded)) {
            Attempt last = candidates.get(candidates.size() - 1);
            return Check.fail(CLAIMS, "claims success but the command '" + shortCommand(last.command()) + "' "
                    + last.outcome()).withObservations(seen);
        }
        Attempt ok = candidates.stream().filter(Attempt::succeeded).reduce((a, b) -> b).orElseThrow();
        return Check.pass(CLAIMS, "claims success; the " + (writes.isEmpty() ? "" : "state-changing ") + "command '"
                + shortCommand(ok.command()) + "' exited 0").withObservations(seen);
    }

    private record Attempt(String command, boolean succeeded, String outcome) {
    }

    /** The tools' outputs against the error-flood limit and the destructive-output rule of the operation. */
    static Check output(Evidence e, Operation op) {
        if (e == null) {
            return Check.notRun(OUTPUT, "the result carries no evidence of the tools' output");
        }
        Gates.Worst flood = Gates.worstErrorFlood(e);
        Gates.Evaluation f = Gates.errorFlood(flood.value(), op.policy().errorFloodLimit(), flood.where());
        Gates.Worst destructive = Gates.destructive(e);
        Gates.Evaluation d = Gates.destructiveOutput(destructive.count(), op.gates().destructiveOutputAllowed(),
                destructive.where());
        List<String> problems = new ArrayList<>();
        for (Gates.Evaluation g : List.of(d, f)) {
            if (g.halts()) {
                problems.add(g.detail());
            }
        }
        if (!problems.isEmpty()) {
            return Check.fail(OUTPUT, String.join("; ", problems));
        }
        return Check.pass(OUTPUT, e.commands().size() + " command output(s): at most " + flood.value()
                + " line(s) mentioning error (limit " + op.policy().errorFloodLimit() + "); " + d.detail());
    }

    /** A command for a message: on one line, at most 80 characters. */
    static String shortCommand(String command) {
        return shorten(command == null ? "" : command.replaceAll("\\s+", " "), 80);
    }

    static String shorten(String s, int max) {
        String t = s.strip();
        return t.length() <= max ? t : t.substring(0, max - 3) + "...";
    }
}
