package io.verops.executor;

import com.fasterxml.jackson.databind.JsonNode;
import io.verops.core.messages.Evidence;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Condenses one codex attempt's {@code --json} events and its hooks' decisions into the evidence the verifier
 * judges the agent's claims against (see docs/verification.md). Pure: no files, no processes.
 */
public final class EvidenceSummary {
    /** How much of the end of each command's output is kept. */
    public static final int OUTPUT_TAIL_CHARS = 400;
    private static final int LINE_CHARS = 300;
    private static final Pattern DESTRUCTIVE = Pattern.compile(
            "(?i)(^|[^\\p{L}\\p{N}_])(deleted|dropped|truncated)([^\\p{L}\\p{N}_]|$)");
    private static final String BLOCKED = "verops.hook.blocked";
    private static final String FLAGGED = "verops.hook.flagged";

    private EvidenceSummary() {
    }

    /** The evidence of the events alone (no hooks' decisions). */
    public static Evidence of(List<JsonNode> events) {
        return of(events, List.of());
    }

    /**
     * @param events        the attempt's codex events, in order
     * @param hookDecisions the attempt's hooks' decisions, in order (see the hooks' decisions log): blocked calls
     *                      become {@code blocked_commands}, flagged outputs {@code flags}
     */
    public static Evidence of(List<JsonNode> events, List<JsonNode> hookDecisions) {
        Map<String, Evidence.Command> commands = new LinkedHashMap<>();
        String turnFailed = null;
        String last = null;
        int unnamed = 0;
        for (JsonNode e : events) {
            String type = e.path("type").asText();
            switch (type) {
                case "thread.started", "turn.started", "turn.completed" -> {
                    continue;
                }
                case "turn.failed" -> turnFailed = e.path("error").path("message").asText("turn failed");
                default -> {
                }
            }
            if (type.startsWith("item.")) {
                JsonNode item = e.path("item");
                String itemType = item.path("type").asText();
                if (itemType.equals("error")) {
                    continue; // a warning (unknown setting, hook trust), not a step of the run
                }
                if (itemType.equals("command_execution")) {
                    String id = item.path("id").asText("");
                    commands.put(id.isEmpty() ? "unnamed-" + unnamed++ : id, command(item));
                }
                last = itemType;
            } else {
                last = type;
            }
        }
        List<Evidence.BlockedCommand> blocked = new ArrayList<>();
        List<Evidence.Flag> flags = new ArrayList<>();
        for (JsonNode d : hookDecisions) {
            String command = d.path("command").asText("");
            String rule = d.path("rule").asText(null);
            String reason = d.path("reason").asText(null);
            if (BLOCKED.equals(d.path("type").asText())) {
                blocked.add(new Evidence.BlockedCommand(command, rule, reason));
            } else if (FLAGGED.equals(d.path("type").asText())) {
                List<String> rules = new ArrayList<>();
                d.path("rules").forEach(r -> rules.add(r.asText()));
                if (rules.isEmpty() && rule != null) {
                    rules.add(rule);
                }
                for (String r : rules) {
                    Integer errorLines = r.equals("error-flood") && d.has("error_lines") ? d.get("error_lines").asInt()
                            : null;
                    flags.add(new Evidence.Flag(r, command, r.equals(rule) ? reason : null, errorLines));
                }
            }
        }
        return new Evidence(List.copyOf(commands.values()), blocked, flags, turnFailed, last);
    }

    private static Evidence.Command command(JsonNode item) {
        String output = item.path("aggregated_output").asText("");
        int errorLines = 0;
        String destructive = null;
        for (String line : output.split("\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).contains("error")) {
                errorLines++;
            }
            if (destructive == null && DESTRUCTIVE.matcher(line).find()) {
                destructive = clip(line.strip(), LINE_CHARS);
            }
        }
        JsonNode code = item.get("exit_code");
        String tail = output.stripTrailing();
        if (tail.length() > OUTPUT_TAIL_CHARS) {
            tail = "..." + tail.substring(tail.length() - OUTPUT_TAIL_CHARS + 3);
        }
        return new Evidence.Command(unwrap(item.path("command").asText("")),
                code == null || !code.canConvertToInt() ? null : code.asInt(), item.path("status").asText("completed"),
                tail, errorLines, destructive);
    }

    /**
     * The command as the agent asked for it: codex reports {@code /bin/bash -c "<cmd re-quoted>"} (or {@code -lc});
     * the wrapper is removed and the one shell word after it unquoted. Anything else is kept as it is.
     */
    static String unwrap(String command) {
        for (String prefix : List.of("/bin/bash -c ", "/bin/bash -lc ", "bash -c ", "bash -lc ")) {
            if (command.startsWith(prefix)) {
                String word = unquoteWord(command.substring(prefix.length()));
                return word == null ? command : word;
            }
        }
        return command;
    }

    /** One POSIX shell word unquoted ('...', "...", backslashes), or null when the text is not exactly one word. */
    static String unquoteWord(String s) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == '\'') {
                int end = s.indexOf('\'', i + 1);
                if (end < 0) {
                    return null;
                }
                out.append(s, i + 1, end);
                i = end + 1;
            } else if (c == '"') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char d = s.charAt(i);
                    if (d == '"') {
                        closed = true;
                        i++;
                        break;
                    }
                    if (d == '\\' && i + 1 < n && "$`\"\\\n".indexOf(s.charAt(i + 1)) >= 0) {
                        if (s.charAt(i + 1) != '\n') {
                            out.append(s.charAt(i + 1));
                        }
                        i += 2;
                    } else {
                        out.append(d);
                        i++;
                    }
                }
                if (!closed) {
                    return null;
                }
            } else if (c == '\\') {
                if (i + 1 >= n) {
                    return null;
                }
                out.append(s.charAt(i + 1));
                i += 2;
            } else if (Character.isWhitespace(c)) {
                return null;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
