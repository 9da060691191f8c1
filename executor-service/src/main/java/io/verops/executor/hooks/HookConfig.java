package io.verops.executor.hooks;

import java.nio.file.Path;

/**
 * The hooks section of {@code $CODEX_HOME/config.toml}: a block between two marker comments, replaced when it is
 * already there and appended otherwise, so whatever else the file configures stays as it is.
 */
final class HookConfig {
    private HookConfig() {
    }

    /** {@code existing} with the verops hooks block set to call {@code script}. */
    static String merge(String existing, Path script) {
        String block = block(script);
        int begin = existing.indexOf(Hooks.BEGIN);
        int end = existing.indexOf(Hooks.END);
        if (begin >= 0 && end > begin) {
            int after = existing.indexOf('\n', end);
            return existing.substring(0, begin) + block + (after < 0 ? "" : existing.substring(after + 1));
        }
        String sep = existing.isEmpty() || existing.endsWith("\n") ? "" : "\n";
        return existing + sep + block;
    }

    static String block(Path script) {
        StringBuilder sb = new StringBuilder();
        sb.append(Hooks.BEGIN).append(" (generated for one codex run; see docs/hooks.md)\n");
        for (String event : new String[] {"PreToolUse", "PostToolUse"}) {
            String mode = event.equals("PreToolUse") ? "pre" : "post";
            sb.append("[[hooks.").append(event).append("]]\n");
            sb.append("matcher = \"*\"\n");
            sb.append("[[hooks.").append(event).append(".hooks]]\n");
            sb.append("type = \"command\"\n");
            // codex runs the command with the user's shell: a single-quoted path works in any POSIX shell
            sb.append("command = ").append(tomlString(shellWord(script.toString()) + " " + mode)).append('\n');
            sb.append("timeout = ").append(Hooks.HOOK_TIMEOUT_SECONDS).append('\n');
        }
        sb.append(Hooks.END).append('\n');
        return sb.toString();
    }

    static String shellWord(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** A TOML basic string: quotes, backslashes and control characters escaped. */
    static String tomlString(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\u%04X", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
