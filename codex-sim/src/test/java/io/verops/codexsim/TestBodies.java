package io.verops.codexsim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/** Builds Responses API request bodies shaped like the ones codex 0.169.0 sends. */
public final class TestBodies {

    public static final ObjectMapper JSON = new ObjectMapper();

    /** A real function_call_output text of codex 0.169.0 (exit code 0, empty output). */
    public static String execOutput(int exitCode, String output) {
        return "Chunk ID: 6a9b6c\nWall time: 0.0512 seconds\nProcess exited with code " + exitCode
                + "\nOriginal token count: " + (output.length() / 4) + "\nOutput:\n" + output;
    }

    private TestBodies() {
    }

    public static ObjectNode item(String phase, String itemId, String role, String team, String db) {
        return item("user-provisioning", phase, itemId, Map.of("email", itemId, "role", role, "team", team), db);
    }

    public static ObjectNode item(String operation, String phase, String itemId, Map<String, String> fields, String db) {
        ObjectNode item = JSON.createObjectNode();
        item.put("operation", operation);
        item.put("phase", phase);
        item.put("item_id", itemId);
        ObjectNode f = item.putObject("fields");
        fields.forEach(f::put);
        item.putObject("target").put("database", db);
        return item;
    }

    /** The verops prompt with the item as a data block. */
    public static String prompt(ObjectNode item) {
        return "You are running one item of a verops batch. Do exactly what the item asks.\n"
                + "-----BEGIN VEROPS ITEM-----\n" + item.toString() + "\n-----END VEROPS ITEM-----\n"
                + "Answer with the JSON object the output schema describes.";
    }

    /** A turn-1 request body carrying this prompt. */
    public static ObjectNode turn1(String prompt) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", "gpt-5.5");
        body.put("stream", true);
        body.put("store", false);
        ArrayNode input = body.putArray("input");
        message(input, "developer", "You are Codex, a coding agent. (system prompt)");
        message(input, "user", "<environment_context>\n  <cwd>/work/ws</cwd>\n</environment_context>");
        message(input, "user", prompt);
        return body;
    }

    /** The next-turn body: the history plus the model's function_call and codex's function_call_output. */
    public static ObjectNode next(ObjectNode previous, ObjectNode functionCall, String output) {
        ObjectNode body = previous.deepCopy();
        ArrayNode input = (ArrayNode) body.get("input");
        input.add(functionCall.deepCopy());
        ObjectNode out = input.addObject();
        out.put("type", "function_call_output");
        out.put("id", "fco_01a20f9f");
        out.put("call_id", functionCall.get("call_id").asText());
        out.put("output", output);
        return body;
    }

    private static void message(ArrayNode input, String role, String text) {
        ObjectNode m = input.addObject();
        m.put("type", "message");
        m.put("role", role);
        m.putArray("content").addObject().put("type", "input_text").put("text", text);
    }
}
