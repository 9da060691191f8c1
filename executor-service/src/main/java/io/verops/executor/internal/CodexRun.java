package io.verops.executor.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What one {@code codex exec} process did: its exit code (null when it was killed for the time limit), its
 * {@code --json} events in order, its last agent message, and the tail of its stderr.
 */
public record CodexRun(Integer exitCode, boolean timedOut, List<JsonNode> events, String lastMessage,
                       String stderrTail, long millis) {
    public CodexRun {
        events = List.copyOf(events);
    }
}
