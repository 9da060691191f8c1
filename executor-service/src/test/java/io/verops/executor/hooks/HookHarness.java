package io.verops.executor.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.verops.core.Phase;
import io.verops.core.operation.Operation;
import io.verops.core.operation.OperationCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Installs the hooks of one operation and phase into a fresh folder under {@code target/hook-runs/} and runs the
 * generated script the way codex does: the payload on stdin, {@code pre} or {@code post} as the argument.
 */
final class HookHarness {
    static final ObjectMapper JSON = new ObjectMapper();

    final Path dir;
    final Path home;
    final Path log;
    final Path script;

    private HookHarness(Path dir, Operation op, Phase phase) throws IOException {
        this.dir = dir;
        this.home = dir.resolve("codex-home");
        this.log = dir.resolve("decisions.jsonl");
        Hooks.install(home, op, phase, log);
        this.script = home.resolve(Hooks.SCRIPT_NAME);
    }

    static HookHarness install(Operation op, Phase phase) throws IOException {
        Path dir = Files.createDirectories(runsRoot().resolve(phase.wire() + "-" + UUID.randomUUID().toString().substring(0, 8)));
        return new HookHarness(dir, op, phase);
    }

    static Path runsRoot() {
        return Path.of("target", "hook-runs").toAbsolutePath();
    }

    static Path root() {
        return Path.of(System.getProperty("verops.root", Path.of("..").toAbsolutePath().normalize().toString()));
    }

    /** The real user-provisioning operation, as loaded from operations/. */
    static Operation userProvisioning() {
        return OperationCatalog.load(root().resolve("operations")).require("user-provisioning");
    }

    /**
     * The user-provisioning operation with another {@code policy} (a JSON object, or null for none), loaded from a
     * copy of its folder like any operation.
     */
    static Operation userProvisioningWithPolicy(String policyJson) throws IOException {
        Path source = root().resolve("operations").resolve("user-provisioning");
        Path copy = Files.createDirectories(runsRoot().resolve("operations-" + UUID.randomUUID().toString().substring(0, 8))
                .resolve("user-provisioning"));
        try (var files = Files.list(source)) {
            for (Path f : files.toList()) {
                if (Files.isRegularFile(f)) {
                    Files.copy(f, copy.resolve(f.getFileName()));
                }
            }
        }
        Path def = copy.resolve(OperationCatalog.DEFINITION_FILE);
        ObjectNode json = (ObjectNode) JSON.readTree(def.toFile());
        if (policyJson == null) {
            json.remove("policy");
        } else {
            json.set("policy", JSON.readTree(policyJson));
        }
        Files.writeString(def, json.toPrettyString());
        return OperationCatalog.loadOne(copy);
    }

    /** A PreToolUse payload shaped like codex's for a shell command. */
    static String prePayload(String command) {
        ObjectNode p = base("PreToolUse", "Bash");
        p.putObject("tool_input").put("command", command);
        p.put("tool_use_id", "call_1");
        return p.toString();
    }

    /** A PostToolUse payload shaped like codex's for a shell command and its output. */
    static String postPayload(String command, String output) {
        ObjectNode p = base("PostToolUse", "Bash");
        p.putObject("tool_input").put("command", command);
        p.put("tool_response", output);
        p.put("tool_use_id", "call_1");
        return p.toString();
    }

    static ObjectNode base(String event, String tool) {
        ObjectNode p = JSON.createObjectNode();
        p.put("session_id", "01a20faf-8a79-70d0-8119-102991949060");
        p.put("turn_id", "01a20faf-8ae3-74d0-9269-69b1236afa64");
        p.putNull("transcript_path");
        p.put("cwd", "/srv/verops/work");
        p.put("hook_event_name", event);
        p.put("model", "gpt-5.5");
        p.put("permission_mode", "bypassPermissions");
        p.put("tool_name", tool);
        return p;
    }

    Result pre(String command) throws IOException, InterruptedException {
        return run("pre", prePayload(command));
    }

    Result post(String command, String output) throws IOException, InterruptedException {
        return run("post", postPayload(command, output));
    }

    Result run(String mode, String payload) throws IOException, InterruptedException {
        return runBytes(payload.getBytes(StandardCharsets.UTF_8), "bash", script.toString(), mode);
    }

    Result runBytes(byte[] payload, String... argv) throws IOException, InterruptedException {
        long before = decisions().size();
        Process p = new ProcessBuilder(argv).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        try (OutputStream in = p.getOutputStream()) {
            in.write(payload);
        } catch (IOException e) {
            // the script may exit before reading everything: that is its answer
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("hook did not finish in 120 s");
        }
        List<JsonNode> all = decisions();
        return new Result(p.exitValue(), out.join(), err.join(), all.subList((int) before, all.size()));
    }

    List<JsonNode> decisions() throws IOException {
        return Hooks.decisions(log);
    }

    private static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** What one hook call did: its exit code, stdout, stderr and the decisions it appended. */
    record Result(int exit, String stdout, String stderr, List<JsonNode> decisions) {
        boolean blocked() {
            return exit == 2 && !stderr.isBlank();
        }

        String rule() {
            return decisions.isEmpty() ? null : decisions.get(0).path("rule").asText();
        }

        @Override
        public String toString() {
            return "exit " + exit + ", stderr: " + stderr.strip() + ", stdout: " + stdout.strip() + ", decisions: " + decisions;
        }
    }
}
