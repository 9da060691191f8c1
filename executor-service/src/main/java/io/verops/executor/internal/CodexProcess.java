package io.verops.executor.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.verops.core.Json;
import io.verops.core.metrics.StepTimes;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one {@code codex exec} process: stdin closed, stdout (the JSON events) and stderr to files in the
 * attempt's folder, a wall-clock limit after which the whole process tree is killed.
 */
public final class CodexProcess {
    private CodexProcess() {
    }

    public static CodexRun run(List<String> argv, Map<String, String> env, Path attemptDir, Path lastMessageFile,
                               Duration timeout) throws IOException, InterruptedException {
        Path stdout = attemptDir.resolve("events.jsonl");
        Path stderr = attemptDir.resolve("stderr.log");
        ProcessBuilder pb = new ProcessBuilder(argv)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        pb.environment().putAll(env);
        long start = System.nanoTime();
        long mark = StepTimes.now();
        Process p = pb.start();
        StepTimes.since("executor.codex_spawn", mark);
        boolean finished;
        try {
            finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            killTree(p); // the executor is stopping: leave no codex behind
            throw e;
        }
        if (!finished) {
            killTree(p);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        List<JsonNode> events = readEvents(stdout);
        String last = Files.exists(lastMessageFile) ? Files.readString(lastMessageFile, StandardCharsets.UTF_8) : null;
        if (last == null) {
            last = lastAgentMessage(events);
        }
        return new CodexRun(finished ? p.exitValue() : null, !finished, events, last, tail(stderr), millis);
    }

    /**
     * Kills a process and every descendant, children first, and waits (up to 10 s in all) until each of them is gone,
     * so that nothing of the run still works on the target when this returns.
     */
    public static void killTree(Process p) throws InterruptedException {
        List<ProcessHandle> all = new ArrayList<>(p.descendants().toList());
        for (ProcessHandle h : all) {
            h.destroyForcibly();
        }
        p.destroyForcibly();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        p.waitFor(10, TimeUnit.SECONDS);
        for (ProcessHandle h : all) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                h.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // a descendant that does not go in time is left to the OS; the item still ends
            }
        }
    }

    static List<JsonNode> readEvents(Path file) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        if (!Files.exists(file)) {
            return events;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode n = Json.mapper().readTree(line);
                if (n != null && n.isObject() && n.has("type")) {
                    events.add(n);
                    continue;
                }
            } catch (IOException e) {
                // fall through: kept as a raw line so nothing codex printed is lost
            }
            ObjectNode raw = Json.mapper().createObjectNode();
            raw.put("type", "verops.unparsed_output");
            raw.put("line", line.length() > 10_000 ? line.substring(0, 10_000) : line);
            events.add(raw);
        }
        return events;
    }

    static String lastAgentMessage(List<JsonNode> events) {
        String last = null;
        for (JsonNode e : events) {
            if ("item.completed".equals(e.path("type").asText())
                    && "agent_message".equals(e.path("item").path("type").asText())) {
                last = e.path("item").path("text").asText();
            }
        }
        return last;
    }

    private static String tail(Path file) throws IOException {
        if (!Files.exists(file)) {
            return "";
        }
        String s = Files.readString(file, StandardCharsets.UTF_8);
        return s.length() <= 4000 ? s : s.substring(s.length() - 4000);
    }
}
