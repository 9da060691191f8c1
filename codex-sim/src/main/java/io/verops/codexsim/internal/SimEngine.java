package io.verops.codexsim.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.verops.codexsim.FaultKind;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The scripted model: from one request body to one {@link Reply}. Stateless apart from the fault counters,
 * so it is safe to call from many threads.
 */
public final class SimEngine {

    /** Reasoning tokens reported per answer (fixed). */
    public static final int REASONING_TOKENS = 16;

    private static final Set<FaultKind> TRANSPORT = EnumSet.of(FaultKind.HANG, FaultKind.HTTP_500, FaultKind.HTTP_429);

    private final PolicyRegistry policies;
    private final FaultBook faults;
    private final ObjectMapper mapper;

    public SimEngine(PolicyRegistry policies, FaultBook faults, ObjectMapper mapper) {
        this.policies = policies;
        this.faults = faults;
        this.mapper = mapper;
    }

    /** Answers one request; {@code requestNumber} only names the response ids. */
    public Reply reply(byte[] body, int requestNumber) {
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (Exception e) {
            return error(400, "invalid_request_error", "codex-sim: request body is not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            return error(400, "invalid_request_error", "codex-sim: request body is not a JSON object");
        }
        SimRequest req = SimRequest.parse(root, mapper);
        String itemId = req.itemId();
        int turn = req.turn();

        FaultKind transport = faults.fireFirst(TRANSPORT, itemId, req.dryRun() ? "dry_run" : "apply", turn);
        if (transport == FaultKind.HANG) {
            return new Reply.Hang();
        }
        if (transport == FaultKind.HTTP_500) {
            return error(500, "server_error",
                    "codex-sim: injected fault http500 (item " + itemId + ", turn " + turn + ")");
        }
        if (transport == FaultKind.HTTP_429) {
            return error(429, "rate_limit_exceeded",
                    "codex-sim: injected fault http429 (item " + itemId + ", turn " + turn + "): rate limit reached");
        }

        Step step = decide(req);
        ObjectNode item;
        String answerText;
        if (step instanceof Step.Command c) {
            ObjectNode args = mapper.createObjectNode();
            args.put("cmd", c.cmd());
            // a non-login shell: no profile scripts, so no environment noise in the output and ~1 s less per call
            args.put("login", false);
            String arguments = args.toString();
            item = mapper.createObjectNode();
            item.put("type", "function_call");
            item.put("id", "fc_" + requestNumber);
            item.put("call_id", ToolResult.callId(c.intent(), turn));
            item.put("name", "exec_command");
            item.put("arguments", arguments);
            item.put("status", "completed");
            answerText = arguments;
        } else {
            Step.Final f = (Step.Final) step;
            answerText = finalText(req, f);
            item = mapper.createObjectNode();
            item.put("type", "message");
            item.put("id", "msg_" + requestNumber);
            item.put("role", "assistant");
            item.put("status", "completed");
            ObjectNode part = item.putArray("content").addObject();
            part.put("type", "output_text");
            part.put("text", answerText);
            part.putArray("annotations");
        }
        return new Reply.Stream(sse(req, item, usage(body.length, turn, answerText), requestNumber));
    }

    private Step decide(SimRequest req) {
        String itemId = req.itemId();
        boolean dry = req.dryRun();
        if (req.item() == null) {
            return new Step.Final(FinalAnswer.failure(itemId, dry, "codex-sim: " + req.itemError() + "; nothing was done."), null);
        }
        String op = req.operation();
        var policy = policies.find(op);
        if (policy.isEmpty()) {
            return new Step.Final(FinalAnswer.failure(itemId, dry, "codex-sim has no scripted policy for operation '"
                    + op + "' (known: " + String.join(", ", policies.operations()) + "); nothing was done."), null);
        }
        PolicyContext ctx = new PolicyContext(req.item(), op, itemId == null ? "" : itemId, dry, req.turn(),
                req.lastTool(), faults.switchFor(itemId, dry ? "dry_run" : "apply", req.turn()));
        try {
            return policy.get().decide(ctx);
        } catch (RuntimeException e) {
            return new Step.Final(FinalAnswer.failure(itemId, dry,
                    "codex-sim policy " + op + " could not handle the item: " + e.getMessage()), null);
        }
    }

    /** Applies the final-message faults and renders the answer text. */
    private String finalText(SimRequest req, Step.Final f) {
        String itemId = req.itemId();
        int turn = req.turn();
        FinalAnswer answer = f.honest();
        if (faults.fire(FaultKind.NON_JSON, itemId, req.dryRun() ? "dry_run" : "apply", turn)) {
            return "All done! I took care of item " + answer.itemId() + " and everything went smoothly. "
                    + "Let me know if there is anything else I can help with.";
        }
        if (!answer.isSuccess() && faults.fire(FaultKind.CLAIM_SUCCESS, itemId, req.dryRun() ? "dry_run" : "apply", turn)) {
            answer = f.claimedSuccess() != null ? f.claimedSuccess()
                    : FinalAnswer.success(answer.itemId(), answer.dryRun(),
                    "Completed " + req.operation() + " for " + answer.itemId() + " successfully.", List.of("completed"));
        }
        if (faults.fire(FaultKind.WRONG_ITEM_ID, itemId, req.dryRun() ? "dry_run" : "apply", turn)) {
            answer = answer.withItemId(otherItemId(answer.itemId()));
        }
        ObjectNode json = answer.toJson(mapper);
        if (faults.fire(FaultKind.OFF_SCHEMA, itemId, req.dryRun() ? "dry_run" : "apply", turn)) {
            // several violations at once: status outside the enum, "changes" missing, an extra property
            json.put("status", "done");
            json.remove("changes");
            json.put("details", "codex-sim: off-schema answer (fault off-schema)");
        }
        return json.toString();
    }

    static String otherItemId(String itemId) {
        return itemId == null || itemId.isEmpty() ? "some-other-item" : "other-" + itemId;
    }

    private ObjectNode usage(int bodyBytes, int turn, String answerText) {
        int input = bodyBytes / 4;
        int cached = turn > 1 ? input * 3 / 4 : 0;
        int output = Math.max(1, answerText.getBytes(StandardCharsets.UTF_8).length / 4) + REASONING_TOKENS;
        ObjectNode u = mapper.createObjectNode();
        u.put("input_tokens", input);
        u.putObject("input_tokens_details").put("cached_tokens", cached);
        u.put("output_tokens", output);
        u.putObject("output_tokens_details").put("reasoning_tokens", REASONING_TOKENS);
        u.put("total_tokens", input + output);
        return u;
    }

    private String sse(SimRequest req, ObjectNode item, ObjectNode usage, int requestNumber) {
        String respId = "resp_" + requestNumber;
        StringBuilder sb = new StringBuilder();

        ObjectNode created = mapper.createObjectNode();
        created.put("type", "response.created");
        ObjectNode r0 = created.putObject("response");
        r0.put("id", respId);
        r0.put("object", "response");
        r0.put("status", "in_progress");
        r0.put("model", req.model());
        r0.putArray("output");
        event(sb, "response.created", created);

        ObjectNode done = mapper.createObjectNode();
        done.put("type", "response.output_item.done");
        done.put("output_index", 0);
        done.set("item", item);
        event(sb, "response.output_item.done", done);

        ObjectNode completed = mapper.createObjectNode();
        completed.put("type", "response.completed");
        ObjectNode r1 = completed.putObject("response");
        r1.put("id", respId);
        r1.put("object", "response");
        r1.put("status", "completed");
        r1.put("model", req.model());
        ArrayNode out = r1.putArray("output");
        out.add(item);
        r1.set("usage", usage);
        event(sb, "response.completed", completed);
        return sb.toString();
    }

    private static void event(StringBuilder sb, String type, ObjectNode data) {
        sb.append("event: ").append(type).append('\n').append("data: ").append(data.toString()).append("\n\n");
    }

    private Reply error(int status, String type, String message) {
        ObjectNode root = mapper.createObjectNode();
        ObjectNode e = root.putObject("error");
        e.put("message", message);
        e.put("type", type);
        e.putNull("param");
        e.put("code", type);
        try {
            return new Reply.Error(status, mapper.writeValueAsString(root));
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
