package io.verops.codexsim;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.verops.codexsim.TestBodies.JSON;

/**
 * Runs the real codex binary ({@code $verops.root/.tools/codex/node_modules/.bin/codex}) against a sim, in a
 * fresh directory under {@code target/codex-runs/} (not under /tmp: workspace-write leaves /tmp writable, and
 * codex warns about a CODEX_HOME under /tmp).
 */
final class RealCodex {

    static final String SCHEMA = """
            {"type":"object","additionalProperties":false,
             "required":["item_id","status","dry_run","message","changes"],
             "properties":{"item_id":{"type":"string"},
                           "status":{"type":"string","enum":["success","failure","skipped"]},
                           "dry_run":{"type":"boolean"},
                           "message":{"type":"string"},
                           "changes":{"type":"array","items":{"type":"string"}}}}
            """;
    static final String CREATE_USERS =
            "CREATE TABLE users(email TEXT PRIMARY KEY, role TEXT NOT NULL, team TEXT NOT NULL, created_at TEXT);";

    final Path dir;
    final Path home;
    final Path workspace;
    final Path dataDir;
    final Path db;
    final Path schema;
    final Path out;

    static Path binary() {
        String explicit = System.getProperty("verops.codex");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String root = System.getProperty("verops.root", Path.of("..").toAbsolutePath().normalize().toString());
        return Path.of(root, ".tools", "codex", "node_modules", ".bin", "codex");
    }

    static boolean available() {
        return Files.isExecutable(binary());
    }

    static Path runsRoot() {
        return Path.of("target", "codex-runs").toAbsolutePath();
    }

    RealCodex(String name) throws IOException, InterruptedException {
        dir = Files.createDirectories(runsRoot().resolve(name + "-" + UUID.randomUUID().toString().substring(0, 8)));
        home = Files.createDirectories(dir.resolve("codex-home"));
        workspace = Files.createDirectories(dir.resolve("workspace"));
        dataDir = Files.createDirectories(dir.resolve("data"));
        db = dataDir.resolve("users.db");
        schema = dir.resolve("schema.json");
        out = dir.resolve("last-message.txt");
        Files.writeString(schema, SCHEMA);
        sqlite(CREATE_USERS);
    }

    /** The command line proven to work with codex-cli 0.169.0 (without the prompt). */
    List<String> command(CodexSim sim, boolean addDataDir, List<String> extra) {
        List<String> cmd = new ArrayList<>(List.of(
                binary().toString(), "exec",
                "--json", "--ephemeral", "--skip-git-repo-check",
                "-C", workspace.toString(),
                "--sandbox", "workspace-write"));
        if (addDataDir) {
            cmd.addAll(List.of("--add-dir", dataDir.toString()));
        }
        cmd.addAll(List.of(
                "--output-schema", schema.toString(),
                "-o", out.toString(),
                "-c", "model_provider=\"sim\"",
                "-c", "model_providers.sim.name=\"sim\"",
                "-c", "model_providers.sim.base_url=\"" + sim.baseUrl() + "\"",
                "-c", "model_providers.sim.wire_api=\"responses\"",
                "-c", "model_providers.sim.request_max_retries=0",
                "-c", "model_providers.sim.stream_max_retries=0",
                // the checkout may itself live under /tmp, which workspace-write opens by default: close it
                "-c", "sandbox_workspace_write.exclude_slash_tmp=true",
                "-c", "sandbox_workspace_write.exclude_tmpdir_env_var=true",
                "-m", "gpt-5.5"));
        cmd.addAll(extra);
        return cmd;
    }

    Run run(CodexSim sim, String prompt, String... extra) throws IOException, InterruptedException {
        return run(sim, true, prompt, extra);
    }

    Run run(CodexSim sim, boolean addDataDir, String prompt, String... extra) throws IOException, InterruptedException {
        Files.deleteIfExists(out);
        List<String> cmd = command(sim, addDataDir, List.of(extra));
        cmd.add("--");
        cmd.add(prompt);
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("CODEX_HOME", home.toString());
        long t0 = System.nanoTime();
        Process p = pb.start();
        CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("codex did not finish in 90 s: " + cmd);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        List<JsonNode> events = new ArrayList<>();
        String stdoutText = stdout.join();
        for (String line : stdoutText.split("\n")) {
            if (!line.isBlank()) {
                events.add(JSON.readTree(line));
            }
        }
        Files.writeString(dir.resolve("events-" + System.nanoTime() + ".jsonl"), stdoutText);
        Optional<String> last = Files.exists(out) ? Optional.of(Files.readString(out)) : Optional.empty();
        return new Run(p.exitValue(), events, last, stderr.join(), took);
    }

    String sqlite(String sql) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sqlite3", "-json", db.toString(), sql).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        String text = read(p.getInputStream());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("sqlite3 failed: " + text);
        }
        return text;
    }

    JsonNode rows(String sql) throws IOException, InterruptedException {
        String text = sqlite(sql);
        return text.isBlank() ? JSON.createArrayNode() : JSON.readTree(text);
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    record Run(int exit, List<JsonNode> events, Optional<String> lastMessage, String stderr, Duration took) {

        List<JsonNode> ofType(String type) {
            return events.stream().filter(e -> e.path("type").asText().equals(type)).toList();
        }

        List<JsonNode> completedItems(String itemType) {
            return ofType("item.completed").stream().map(e -> e.get("item"))
                    .filter(i -> i.path("type").asText().equals(itemType)).toList();
        }

        JsonNode finalJson() throws IOException {
            return JSON.readTree(lastMessage.orElseThrow(() -> new AssertionError("no -o file; stderr: " + stderr)));
        }

        @Override
        public String toString() {
            return "exit " + exit + " in " + took.toMillis() + " ms\nevents: " + events + "\nstderr: " + stderr;
        }
    }
}
