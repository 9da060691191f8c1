package io.verops.executor.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.verops.core.Json;
import io.verops.core.Phase;
import io.verops.core.operation.Operation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * PreToolUse and PostToolUse hooks that gate every tool call of one {@code codex exec} run (see docs/hooks.md).
 * {@link #install} writes a bash script with the operation's command policy baked in, and the {@code config.toml}
 * of the run's {@code CODEX_HOME} that makes codex call it before and after every tool call. The hook blocks a call
 * by exiting 2 with the reason on stderr, flags suspicious output, and appends one JSON line per blocked or flagged
 * call to the decisions log, which {@link #decisions} reads back.
 */
public final class Hooks {
    /** The extra {@code codex exec} argument without which codex silently skips hooks in exec mode. */
    public static final String BYPASS_HOOK_TRUST = "--dangerously-bypass-hook-trust";
    public static final String BLOCKED = "verops.hook.blocked";
    public static final String FLAGGED = "verops.hook.flagged";
    static final String SCRIPT_NAME = "verops-hook.sh";
    static final String CONFIG_NAME = "config.toml";
    static final String BEGIN = "# >>> verops hooks";
    static final String END = "# <<< verops hooks";
    /**
     * Seconds codex waits for one hook call. A hook that times out fails open, so this is long on purpose: the
     * item's own wall-clock limit ends a run stuck in a hook, as a failure.
     */
    static final int HOOK_TIMEOUT_SECONDS = 600;

    /** The digest of each policy's script, by its policy block. */
    private static final Map<String, String> DIGESTS = new ConcurrentHashMap<>();

    /** Policies whose script already passed its self-test in this JVM (bash version, patterns compile). */
    private static final Map<String, Boolean> TESTED = new ConcurrentHashMap<>();

    /** One lock per policy, so that items starting together run its self-test once, not once each. */
    private static final Map<String, Object> TESTING = new ConcurrentHashMap<>();

    private Hooks() {
    }

    /**
     * Writes the hook script and the hooks of {@code $CODEX_HOME/config.toml} for one attempt; returns the extra
     * {@code codex exec} arguments needed. {@code decisionsLog} is where the hooks append one JSON line per blocked
     * or flagged call; it is created empty if missing.
     *
     * @throws IOException when a file cannot be written, or the script fails its self-test on this machine (no
     *                     bash 4, a pattern this bash cannot compile): codex must then not run unguarded
     */
    public static List<String> install(Path codexHome, Operation op, Phase phase, Path decisionsLog) throws IOException {
        Objects.requireNonNull(codexHome, "codexHome == null");
        Objects.requireNonNull(op, "op == null");
        Objects.requireNonNull(phase, "phase == null");
        Objects.requireNonNull(decisionsLog, "decisionsLog == null");
        Path home = codexHome.toAbsolutePath().normalize();
        Path log = decisionsLog.toAbsolutePath().normalize();
        Files.createDirectories(home);
        Files.createDirectories(log.getParent());
        if (!Files.exists(log)) {
            Files.createFile(log);
        }
        if (!Files.isWritable(log)) {
            throw new IOException(log + ": the hooks' decisions log is not writable");
        }
        Path script = home.resolve(SCRIPT_NAME);
        writeAtomically(script, HookScript.render(op, phase, log), "rwx------");
        Path config = home.resolve(CONFIG_NAME);
        String existing = Files.exists(config) ? Files.readString(config, StandardCharsets.UTF_8) : "";
        writeAtomically(config, HookConfig.merge(existing, script), "rw-------");
        String key = HookScript.policyBlock(op, phase);
        if (!TESTED.containsKey(key)) {
            synchronized (TESTING.computeIfAbsent(key, k -> new Object())) {
                if (!TESTED.containsKey(key)) {
                    selfTest(script);
                    TESTED.put(key, Boolean.TRUE);
                }
            }
        }
        return List.of(BYPASS_HOOK_TRUST);
    }

    /**
     * The SHA-256 (hex) of the hook policy that {@link #install} puts in place for {@code op}'s {@code phase}: of
     * the generated script without its line naming the attempt's decisions log ({@code H_LOG=...}). It covers the
     * operation's own policy, the default rules and the script's code, so it changes when any of them does.
     */
    public static String policySha256(Operation op, Phase phase) {
        Objects.requireNonNull(op, "op == null");
        Objects.requireNonNull(phase, "phase == null");
        return DIGESTS.computeIfAbsent(HookScript.policyBlock(op, phase), k -> io.verops.core.internal.Digests.sha256Hex(
                HookScript.policyScript(op, phase).getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The decisions the hooks recorded, in order: JSON objects with at least {@code type} ({@value #BLOCKED} or
     * {@value #FLAGGED}), {@code hook} (PreToolUse or PostToolUse), {@code rule} (the first rule that fired),
     * {@code rules}, {@code reason} and {@code command}. None when the log does not exist.
     *
     * @throws IOException when the log cannot be read or holds a line that is not a decision
     */
    public static List<JsonNode> decisions(Path decisionsLog) throws IOException {
        Objects.requireNonNull(decisionsLog, "decisionsLog == null");
        if (!Files.exists(decisionsLog)) {
            return List.of();
        }
        // malformed UTF-8 (a command cut inside a character) is replaced, never fatal
        String text = new String(Files.readAllBytes(decisionsLog), StandardCharsets.UTF_8);
        List<JsonNode> decisions = new ArrayList<>();
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = Json.mapper().readTree(line);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IOException(decisionsLog + ": line " + lineNo + " is not JSON: " + e.getOriginalMessage(), e);
            }
            String type = node == null ? "" : node.path("type").asText();
            if (!BLOCKED.equals(type) && !FLAGGED.equals(type)) {
                throw new IOException(decisionsLog + ": line " + lineNo + " is not a hook decision (type '" + type + "')");
            }
            decisions.add(node);
        }
        return List.copyOf(decisions);
    }

    private static void writeAtomically(Path target, String content, String permissions) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the file keeps the default permissions
        }
        try {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Starts the process, trying again for up to about a second while the kernel says the file is busy (ETXTBSY):
     * a process forked at that moment by another thread (another item's codex) briefly holds a copy of the
     * descriptor this thread wrote the script with, until it closes its descriptors.
     */
    static Process startRetryingTextFileBusy(ProcessBuilder pb) throws IOException {
        long wait = 5;
        for (int attempt = 1; ; attempt++) {
            try {
                return pb.start();
            } catch (IOException e) {
                if (attempt >= 8 || e.getMessage() == null || !e.getMessage().contains("error=26")) {
                    throw e;
                }
            }
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while the hook script was busy", e);
            }
            wait *= 2;
        }
    }

    private static void selfTest(Path script) throws IOException {
        // run as codex runs it, through its #! line: this also proves /bin/bash exists and the file is executable
        Process p = startRetryingTextFileBusy(new ProcessBuilder(script.toString(), "self-test")
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true));
        String out;
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(script + ": the hook script's self-test did not finish in 60 s");
            }
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException(script + ": interrupted during the hook script's self-test", e);
        }
        if (p.exitValue() != 0 || !out.equals("ok")) {
            throw new IOException(script + ": the hook script failed its self-test (exit " + p.exitValue() + "): " + out);
        }
    }
}
