package io.verops.codexsim.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the sim reads from one {@code POST /v1/responses} body.
 *
 * @param model      the requested model slug
 * @param item       the last VEROPS ITEM block parsed as a JSON object, or {@code null}
 * @param itemError  why there is no item (no block, bad JSON), or {@code null}
 * @param turn       1 + number of {@code function_call_output} items in {@code input}
 * @param lastTool   the last {@code function_call_output} (with its call), or {@code null}
 */
public record SimRequest(String model, JsonNode item, String itemError, int turn, ToolResult lastTool) {

    public static final String BEGIN = "-----BEGIN VEROPS ITEM-----";
    public static final String END = "-----END VEROPS ITEM-----";

    public String itemId() {
        if (item == null) {
            return null;
        }
        JsonNode id = item.get("item_id");
        return id == null || id.isNull() ? null : id.asText();
    }

    public String operation() {
        JsonNode op = item == null ? null : item.get("operation");
        return op == null || op.isNull() ? null : op.asText();
    }

    public boolean dryRun() {
        return item != null && "dry_run".equals(item.path("phase").asText());
    }

    public static SimRequest parse(JsonNode root, ObjectMapper mapper) {
        String model = root.path("model").asText("");
        JsonNode input = root.path("input");
        List<String> texts = new ArrayList<>();
        Map<String, JsonNode> calls = new HashMap<>();
        JsonNode lastOutput = null;
        int outputs = 0;
        if (input.isTextual()) {
            texts.add(input.asText());
        }
        for (JsonNode it : input) {
            String type = it.path("type").asText("");
            if (type.equals("message") || (type.isEmpty() && it.has("role"))) {
                JsonNode content = it.path("content");
                if (content.isTextual()) {
                    texts.add(content.asText());
                }
                for (JsonNode part : content) {
                    JsonNode t = part.get("text");
                    if (t != null && t.isTextual()) {
                        texts.add(t.asText());
                    }
                }
            } else if (type.equals("function_call")) {
                calls.put(it.path("call_id").asText(""), it);
            } else if (type.equals("function_call_output")) {
                outputs++;
                lastOutput = it;
            }
        }
        ToolResult lastTool = null;
        if (lastOutput != null) {
            String callId = lastOutput.path("call_id").asText("");
            JsonNode call = calls.get(callId);
            String cmd = null;
            if (call != null) {
                try {
                    cmd = mapper.readTree(call.path("arguments").asText("{}")).path("cmd").asText(null);
                } catch (Exception e) {
                    cmd = null;
                }
            }
            lastTool = new ToolResult(callId, ToolResult.intentOf(callId), cmd, outputText(lastOutput.get("output")));
        }
        String block = lastBlock(texts);
        JsonNode item = null;
        String error = null;
        if (block == null) {
            error = "no " + BEGIN + " ... " + END + " block in the prompt";
        } else {
            try {
                JsonNode parsed = mapper.readTree(block);
                if (parsed != null && parsed.isObject()) {
                    item = parsed;
                } else {
                    error = "the VEROPS ITEM block is not a JSON object";
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                error = "the VEROPS ITEM block is not valid JSON: " + e.getOriginalMessage();
            }
        }
        return new SimRequest(model, item, error, outputs + 1, lastTool);
    }

    /**
     * The content of the last block whose marker lines stand alone on their lines (a marker inside a JSON
     * string cannot: JSON strings hold no raw newline). Texts are searched in order.
     */
    public static String lastBlock(List<String> texts) {
        String last = null;
        for (String text : texts) {
            if (!text.contains(BEGIN)) {
                continue;
            }
            StringBuilder current = null;
            for (String line : text.split("\\r?\\n", -1)) {
                String t = line.strip();
                if (t.equals(BEGIN)) {
                    current = new StringBuilder();
                } else if (t.equals(END) && current != null) {
                    last = current.toString();
                    current = null;
                } else if (current != null) {
                    current.append(line).append('\n');
                }
            }
        }
        return last;
    }

    private static String outputText(JsonNode output) {
        if (output == null || output.isNull()) {
            return "";
        }
        if (output.isTextual()) {
            return output.asText();
        }
        if (output.isArray()) { // content items, e.g. [{"type":"input_text","text":"..."}]
            StringBuilder sb = new StringBuilder();
            for (JsonNode part : output) {
                if (part.hasNonNull("text")) {
                    sb.append(part.get("text").asText());
                }
            }
            return sb.toString();
        }
        if (output.hasNonNull("content")) {
            return output.get("content").asText();
        }
        return output.toString();
    }
}
