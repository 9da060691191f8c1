package io.verops.codexsim.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/** The schema-shaped final answer: {@code {"item_id","status","dry_run","message","changes"}}. */
public record FinalAnswer(String itemId, String status, boolean dryRun, String message, List<String> changes) {

    public static final String SUCCESS = "success";
    public static final String FAILURE = "failure";
    public static final String SKIPPED = "skipped";

    public FinalAnswer {
        itemId = itemId == null ? "" : itemId;
        changes = List.copyOf(changes);
    }

    public static FinalAnswer success(String itemId, boolean dryRun, String message, List<String> changes) {
        return new FinalAnswer(itemId, SUCCESS, dryRun, message, changes);
    }

    public static FinalAnswer failure(String itemId, boolean dryRun, String message) {
        return new FinalAnswer(itemId, FAILURE, dryRun, message, List.of());
    }

    public boolean isSuccess() {
        return SUCCESS.equals(status);
    }

    public FinalAnswer withItemId(String id) {
        return new FinalAnswer(id, status, dryRun, message, changes);
    }

    public ObjectNode toJson(ObjectMapper mapper) {
        ObjectNode o = mapper.createObjectNode();
        o.put("item_id", itemId);
        o.put("status", status);
        o.put("dry_run", dryRun);
        o.put("message", message);
        ArrayNode a = o.putArray("changes");
        changes.forEach(a::add);
        return o;
    }
}
