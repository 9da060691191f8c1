package io.verops.codexsim.internal;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a policy sees of one request.
 *
 * @param item      the parsed VEROPS ITEM block (an object)
 * @param operation {@code item.operation}
 * @param itemId    {@code item.item_id} ("" if absent)
 * @param dryRun    {@code item.phase == "dry_run"}
 * @param turn      1 + number of function_call_output items in the request
 * @param lastTool  the last tool result in the history, or {@code null} on the first turn
 * @param faults    command-shaping faults for this item and turn
 */
public record PolicyContext(JsonNode item, String operation, String itemId, boolean dryRun, int turn,
                            ToolResult lastTool, FaultSwitch faults) {

    /** A string field of {@code item.fields}, or {@code null}. */
    public String field(String name) {
        JsonNode v = item.path("fields").get(name);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** A string field of {@code item.target}, or {@code null}. */
    public String target(String name) {
        JsonNode v = item.path("target").get(name);
        return v == null || v.isNull() ? null : v.asText();
    }
}
