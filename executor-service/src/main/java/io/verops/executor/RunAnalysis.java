package io.verops.executor;

import com.fasterxml.jackson.databind.JsonNode;
import io.verops.core.messages.Usage;
import io.verops.executor.internal.CodexRun;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What an attempt's exit code and event stream say, read without trusting the agent: did the protocol finish,
 * did it fail transiently (model 5xx/429, crash, time limit), did any command run, how many tokens it used.
 */
public record RunAnalysis(boolean finished, String failure, boolean transientFailure, boolean ranCommand,
                          Usage usage) {
    private static final Pattern TRANSIENT = Pattern.compile(
            "(?i)\\b(5\\d\\d|429)\\b|internal server error|too many requests|rate limit|overloaded|"
                    + "service unavailable|bad gateway|gateway time-?out|stream disconnected|connection (reset|refused|closed)|"
                    + "timed out|temporar(il)?y|high demand");

    public static RunAnalysis of(CodexRun run, int timeoutSeconds) {
        Usage usage = Usage.ZERO;
        String turnFailed = null;
        String lastError = null;
        boolean ranCommand = false;
        boolean completed = false;
        for (JsonNode e : run.events()) {
            String type = e.path("type").asText();
            switch (type) {
                case "turn.completed" -> {
                    completed = true;
                    JsonNode u = e.path("usage");
                    usage = usage.plus(new Usage(u.path("input_tokens").asLong(), u.path("cached_input_tokens").asLong(),
                            u.path("output_tokens").asLong(), u.path("reasoning_output_tokens").asLong()));
                }
                case "turn.failed" -> turnFailed = e.path("error").path("message").asText("turn failed");
                case "error" -> lastError = e.path("message").asText();
                case "item.completed", "item.started" -> {
                    if ("command_execution".equals(e.path("item").path("type").asText())) {
                        ranCommand = true;
                    }
                }
                default -> {
                }
            }
        }
        if (run.timedOut()) {
            return new RunAnalysis(false, "timeout after " + timeoutSeconds + " s", true, ranCommand, usage);
        }
        Integer code = run.exitCode();
        if (turnFailed != null) {
            return new RunAnalysis(false, "turn.failed: " + oneLine(turnFailed),
                    TRANSIENT.matcher(turnFailed).find(), ranCommand, usage);
        }
        if (code != null && code > 128) {
            return new RunAnalysis(false, "codex was killed by signal " + (code - 128), true, ranCommand, usage);
        }
        if (code == null || code != 0) {
            String why = lastError != null ? lastError : lastLine(run.stderrTail());
            return new RunAnalysis(false, "codex exited " + code + (why.isEmpty() ? "" : ": " + oneLine(why)),
                    why.isEmpty() || TRANSIENT.matcher(why).find(), ranCommand, usage);
        }
        if (!completed) {
            return new RunAnalysis(false, "codex exited 0 without completing its turn", true, ranCommand, usage);
        }
        return new RunAnalysis(true, null, false, ranCommand, usage);
    }

    /** Whether to run the item once more: only the first attempt, only for a transient failure, and for an
     *  apply only when the failed attempt ran no command or the operation declares its apply idempotent. */
    public boolean retryAllowed(int attempt, boolean applyPhase, boolean idempotentApply) {
        if (finished || !transientFailure || attempt >= 2) {
            return false;
        }
        return !applyPhase || !ranCommand || idempotentApply;
    }

    private static String oneLine(String s) {
        String t = s.strip().replaceAll("\\s+", " ");
        return t.length() <= 300 ? t : t.substring(0, 297) + "...";
    }

    private static String lastLine(String s) {
        List<String> lines = s.strip().lines().filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }
}
