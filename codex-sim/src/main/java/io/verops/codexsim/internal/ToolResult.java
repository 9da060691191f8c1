package io.verops.codexsim.internal;

import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The output of the tool call the model made, as codex reports it back in a {@code function_call_output}
 * item. For {@code exec_command} codex 0.169.0 sends:
 * <pre>
 * Chunk ID: 6a9b6c
 * Wall time: 0.8250 seconds
 * Process exited with code 3
 * Original token count: 16
 * Output:
 * ...combined stdout and stderr...
 * </pre>
 * A call blocked by a PreToolUse hook has no exit code line.
 *
 * @param callId    the call_id of the call
 * @param intent    what the policy asked for (decoded from our call_id), or {@code null} if not ours
 * @param cmd       the command of the call, if known
 * @param rawOutput the {@code output} text exactly as codex sent it
 */
public record ToolResult(String callId, String intent, String cmd, String rawOutput) {

    private static final Pattern EXIT = Pattern.compile("(?m)^Process exited with code (-?\\d+)\\s*$");
    private static final Pattern CALL_ID = Pattern.compile("^call_vp_([a-z]+)_\\d+$");
    private static final String OUTPUT_MARK = "Output:\n";

    public static String callId(String intent, int turn) {
        return "call_vp_" + intent + "_" + turn;
    }

    public static String intentOf(String callId) {
        if (callId == null) {
            return null;
        }
        Matcher m = CALL_ID.matcher(callId);
        return m.matches() ? m.group(1) : null;
    }

    /** The process exit code, if the command ran to completion. */
    public OptionalInt exitCode() {
        Matcher m = EXIT.matcher(rawOutput);
        if (m.find()) {
            try {
                return OptionalInt.of(Integer.parseInt(m.group(1)));
            } catch (NumberFormatException e) {
                return OptionalInt.empty();
            }
        }
        return OptionalInt.empty();
    }

    public boolean exitedZero() {
        OptionalInt c = exitCode();
        return c.isPresent() && c.getAsInt() == 0;
    }

    /** The command's output (the part after {@code Output:}); the whole text if there is no such header. */
    public String output() {
        if (rawOutput.startsWith(OUTPUT_MARK)) {
            return rawOutput.substring(OUTPUT_MARK.length());
        }
        int i = rawOutput.indexOf("\n" + OUTPUT_MARK);
        return i < 0 ? rawOutput : rawOutput.substring(i + 1 + OUTPUT_MARK.length());
    }

    /** The output trimmed and shortened to its last {@code max} characters, for messages. */
    public String outputExcerpt(int max) {
        String o = output().strip();
        return o.length() <= max ? o : "..." + o.substring(o.length() - max);
    }

    /** Human description of how the call ended: {@code exit code N} or {@code did not run}. */
    public String outcome() {
        OptionalInt c = exitCode();
        return c.isPresent() ? "exit code " + c.getAsInt() : "did not run";
    }
}
