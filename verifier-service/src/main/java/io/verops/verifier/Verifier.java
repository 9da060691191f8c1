package io.verops.verifier;

import com.fasterxml.jackson.databind.JsonNode;
import io.verops.core.ItemStatus;
import io.verops.core.Json;
import io.verops.core.messages.Check;
import io.verops.core.messages.ResultMessage;
import io.verops.core.messages.VerdictMessage;
import io.verops.core.operation.Operation;
import java.util.ArrayList;
import java.util.List;

/**
 * Judges one executor result without trusting the agent: the run must have finished, the final message must
 * be JSON that validates against the operation's output schema (codex does not check it), and it must be
 * about this item. Pure: no Kafka, no files.
 */
public final class Verifier {
    public static final String RUN = "run";
    public static final String SCHEMA = "output_schema";
    public static final String IDENTITY = "identity";
    public static final String CLAIM = "claimed_status";

    private Verifier() {
    }

    public static VerdictMessage judge(ResultMessage r, Operation op) {
        List<Check> checks = new ArrayList<>();
        JsonNode output = null;
        ItemStatus status;
        String message;
        if (r.skipped() != null) {
            checks.add(Check.notRun(RUN, r.skipped()));
            status = ItemStatus.SKIPPED;
            message = r.skipped();
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
            try {
                output = Json.mapper().readTree(r.finalMessage());
            } catch (Exception e) {
                output = null;
            }
            if (output == null || output.isMissingNode()) {
                checks.add(Check.fail(SCHEMA, "final message is not JSON"));
                status = ItemStatus.FAILURE;
                message = "final message is not JSON: '" + shorten(r.finalMessage()) + "'";
            } else {
                List<String> errors = op.outputSchema().validate(output);
                if (!errors.isEmpty()) {
                    String detail = String.join("; ", errors);
                    checks.add(Check.fail(SCHEMA, detail));
                    status = ItemStatus.FAILURE;
                    message = "final message does not match the output schema: " + detail;
                } else {
                    checks.add(Check.pass(SCHEMA, "valid against " + op.outputSchemaFile().getFileName()));
                    String claimedId = output.path("item_id").asText(null);
                    if (claimedId != null && !claimedId.equals(r.itemId())) {
                        checks.add(Check.fail(IDENTITY, "answer is about '" + claimedId + "', not '" + r.itemId() + "'"));
                        status = ItemStatus.FAILURE;
                        message = "answer is about another item: '" + claimedId + "' instead of '" + r.itemId() + "'";
                    } else {
                        checks.add(claimedId == null ? Check.notRun(IDENTITY, "the output has no item_id")
                                : Check.pass(IDENTITY, "item_id matches"));
                        String claimed = output.path("status").asText("success");
                        message = output.path("message").asText("");
                        switch (claimed) {
                            case "success" -> {
                                status = ItemStatus.SUCCESS;
                                checks.add(Check.pass(CLAIM, "agent reports success"));
                            }
                            case "skipped" -> {
                                status = ItemStatus.SKIPPED;
                                checks.add(Check.pass(CLAIM, "agent reports skipped"));
                            }
                            default -> {
                                status = ItemStatus.FAILURE;
                                checks.add(Check.fail(CLAIM, "agent reports " + claimed));
                            }
                        }
                        if (message.isBlank()) {
                            message = "agent reports " + claimed;
                        }
                    }
                }
            }
        }
        return new VerdictMessage(r.batchId(), r.operation(), r.itemId(), r.row(), r.phase(), status, message,
                r.attempts(), r.retried(), r.usage(), r.auditEvents(), checks, output, r.startedAt(), r.finishedAt(),
                r.codexMillis());
    }

    private static String shorten(String s) {
        String t = s.strip();
        return t.length() <= 200 ? t : t.substring(0, 197) + "...";
    }
}
