package io.verops.executor.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.verops.core.Phase;
import io.verops.core.operation.Operation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Installing the hooks of one run: files, config, self-test, and the decisions log read back. */
class HooksInstallTest {

    private static Path fresh(String name) throws IOException {
        return Files.createDirectories(HookHarness.runsRoot().resolve(name + "-" + UUID.randomUUID().toString().substring(0, 8)));
    }

    @Test
    void installWritesAnOwnerOnlyScriptAndTheCodexConfigAndReturnsTheHookTrustArgument() throws Exception {
        Path dir = fresh("install");
        Path home = dir.resolve("codex-home");
        Path log = dir.resolve("audit").resolve("decisions.jsonl");

        List<String> extra = Hooks.install(home, HookHarness.userProvisioning(), Phase.DRY_RUN, log);

        assertThat(extra).containsExactly("--dangerously-bypass-hook-trust");
        Path script = home.resolve("verops-hook.sh");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(script))).isEqualTo("rwx------");
        assertThat(Files.readString(script)).startsWith("#!/bin/bash -p\n").contains("H_PHASE='dry_run'")
                .contains("H_ALLOWED=('sqlite3' 'echo' 'seq')").doesNotContain("#@VEROPS_POLICY@");
        String config = Files.readString(home.resolve("config.toml"));
        assertThat(config).contains("[[hooks.PreToolUse]]\nmatcher = \"*\"\n[[hooks.PreToolUse.hooks]]\ntype = \"command\"\n"
                + "command = \"'" + script + "' pre\"\ntimeout = 600\n");
        assertThat(config).contains("command = \"'" + script + "' post\"");
        assertThat(log).exists().isEmptyFile();
        assertThat(Hooks.decisions(log)).isEmpty();
    }

    @Test
    void thePolicyDigestIsThatOfTheInstalledScriptWithoutItsDecisionsLogLine() throws Exception {
        Operation op = HookHarness.userProvisioning();
        Path home = fresh("digest").resolve("codex-home");
        Hooks.install(home, op, Phase.APPLY, home.resolveSibling("decisions.jsonl"));
        String script = Files.readString(home.resolve("verops-hook.sh"), StandardCharsets.UTF_8);
        String withoutLog = script.replaceFirst("(?m)^H_LOG=.*\n", "");
        assertThat(withoutLog).isNotEqualTo(script);

        String digest = Hooks.policySha256(op, Phase.APPLY);

        assertThat(digest).matches("[0-9a-f]{64}")
                .isEqualTo(io.verops.core.internal.Digests.sha256Hex(withoutLog.getBytes(StandardCharsets.UTF_8)));
        Path other = fresh("digest-again").resolve("codex-home");
        Hooks.install(other, op, Phase.APPLY, other.resolveSibling("elsewhere.jsonl"));
        assertThat(Files.readString(other.resolve("verops-hook.sh")).replaceFirst("(?m)^H_LOG=.*\n", ""))
                .as("every attempt of the phase runs the same policy").isEqualTo(withoutLog);
    }

    @Test
    void thePolicyDigestChangesWithThePhaseAndWithAnyPolicyValue() throws Exception {
        Operation op = HookHarness.userProvisioning();
        Operation stricter = HookHarness.userProvisioningWithPolicy(
                "{\"allowed_commands\": [\"sqlite3\", \"echo\", \"seq\"], \"error_flood_limit\": 9}");
        Operation lenient = HookHarness.userProvisioningWithPolicy(
                "{\"allowed_commands\": [\"sqlite3\", \"echo\", \"seq\"], \"error_flood_limit\": 10}");

        assertThat(Hooks.policySha256(op, Phase.DRY_RUN)).isNotEqualTo(Hooks.policySha256(op, Phase.APPLY));
        assertThat(Hooks.policySha256(stricter, Phase.APPLY)).isNotEqualTo(Hooks.policySha256(lenient, Phase.APPLY));
        assertThat(Hooks.policySha256(op, Phase.APPLY)).isEqualTo(Hooks.policySha256(op, Phase.APPLY));
    }

    @Test
    void aSecondInstallKeepsTheRestOfTheConfigAndReplacesItsOwnBlock() throws Exception {
        Path home = fresh("config").resolve("codex-home");
        Files.createDirectories(home);
        Files.writeString(home.resolve("config.toml"), "model = \"gpt-5.5\"\n\n[features]\nx = true\n");
        Path log = home.resolveSibling("decisions.jsonl");

        Hooks.install(home, HookHarness.userProvisioning(), Phase.DRY_RUN, log);
        Hooks.install(home, HookHarness.userProvisioning(), Phase.APPLY, log);

        String config = Files.readString(home.resolve("config.toml"));
        assertThat(config).startsWith("model = \"gpt-5.5\"\n\n[features]\nx = true\n# >>> verops hooks");
        assertThat(config.split("\\[\\[hooks.PreToolUse]]", -1)).hasSize(2);
        assertThat(Files.readString(home.resolve("verops-hook.sh"))).contains("H_PHASE='apply'");
    }

    @Test
    void aPathWithQuotesAndSpacesIsQuotedForTheShellAndForToml() throws Exception {
        Path home = fresh("quoting").resolve("it's a \"home\" \\ $(touch pwned)");
        Path log = home.resolve("decisions.jsonl");
        Hooks.install(home, HookHarness.userProvisioning(), Phase.APPLY, log);
        String config = Files.readString(home.resolve("config.toml"));
        Matcher m = Pattern.compile("command = (\"(?:[^\"\\\\]|\\\\.)*\")\n").matcher(config);
        assertThat(m.find()).isTrue();
        String shellCommand = HookHarness.JSON.readTree(m.group(1)).asText();

        Process p = new ProcessBuilder("/bin/sh", "-c", shellCommand).directory(home.getParent().toFile()).start();
        p.getOutputStream().write(HookHarness.prePayload("sqlite3 db 'DROP TABLE users'").getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        p.waitFor();

        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(Hooks.decisions(log)).singleElement().satisfies(d -> assertThat(d.path("rule").asText()).isEqualTo("forbidden:drop"));
        assertThat(home.getParent().resolve("pwned")).doesNotExist();
    }

    @Test
    void policyPatternsAndNamesCannotBreakOutOfTheScriptsQuoting() throws Exception {
        Path marker = fresh("breakout").resolve("pwned");
        String evil = "x'; touch " + marker + "; echo '";
        Operation op = HookHarness.userProvisioningWithPolicy("{\"forbidden\": [{\"name\": \"n'$(touch " + marker
                + ")\", \"pattern\": \"" + evil.replace("\\", "\\\\") + "\"}], \"write_patterns\": [\"`touch " + marker + "`\"]}");
        HookHarness h = HookHarness.install(op, Phase.DRY_RUN);

        HookHarness.Result ok = h.pre("sqlite3 db 'select 1'");
        HookHarness.Result hit = h.pre("sqlite3 db 'select 1' # " + evil);

        assertThat(marker).doesNotExist();
        assertThat(ok.exit()).as("%s", ok).isZero();
        assertThat(hit.rule()).isEqualTo("forbidden:n'$(touch " + marker + ")");
    }

    @Test
    void aPatternThisBashCannotCompileMakesInstallFail() throws Exception {
        Operation op = HookHarness.userProvisioning();
        Path dir = fresh("badpattern");
        // written past the catalog's validation, as a corrupted definition would be
        String script = HookScript.render(op, Phase.APPLY, dir.resolve("decisions.jsonl"))
                .replace("H_RULE_PATTERN=('", "H_RULE_PATTERN=('a{1,2')\nH_RULE_PATTERN_IGNORED=('");
        Path file = dir.resolve("verops-hook.sh");
        Files.writeString(file, script);

        Process test = new ProcessBuilder("bash", file.toString(), "self-test").redirectErrorStream(true).start();
        String testOut = new String(test.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        test.waitFor();
        assertThat(test.exitValue()).isNotZero();
        assertThat(testOut).contains("forbidden:rm-rf").contains("does not compile");

        HookHarness.Result r = runScript(file, dir.resolve("decisions.jsonl"), HookHarness.prePayload("sqlite3 db 'select 1'"));
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.stderr()).contains("hook-error:bad-pattern");
    }

    @Test
    void anInternalErrorOfTheScriptBlocksTheCall() throws Exception {
        Path dir = fresh("crash");
        String script = HookScript.render(HookHarness.userProvisioning(), Phase.APPLY, dir.resolve("decisions.jsonl"))
                .replace("\npre_bash() {\n", "\npre_bash() {\n    x=${undefined_variable:?simulated crash}\n");
        Path file = dir.resolve("verops-hook.sh");
        Files.writeString(file, script);

        HookHarness.Result r = runScript(file, dir.resolve("decisions.jsonl"), HookHarness.prePayload("sqlite3 db 'select 1'"));

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.stderr()).contains("internal error").contains("blocked");
    }

    @Test
    void decisionsAreReadInOrderAndALineThatIsNotADecisionIsAnError() throws Exception {
        Path log = fresh("decisions").resolve("decisions.jsonl");
        Files.writeString(log, "{\"type\":\"verops.hook.blocked\",\"hook\":\"PreToolUse\",\"rule\":\"a\",\"command\":\"x\"}\n\n"
                + "{\"type\":\"verops.hook.flagged\",\"hook\":\"PostToolUse\",\"rule\":\"b\",\"command\":\"y\"}\n");

        List<JsonNode> decisions = Hooks.decisions(log);

        assertThat(decisions).extracting(d -> d.path("rule").asText()).containsExactly("a", "b");
        Files.writeString(log, "{\"type\":\"other\"}\n", java.nio.file.StandardOpenOption.APPEND);
        assertThatThrownBy(() -> Hooks.decisions(log)).isInstanceOf(IOException.class).hasMessageContaining("line 4");
        Files.writeString(log, "{\"type\":\"verops.hook.blocked\"\n");
        assertThatThrownBy(() -> Hooks.decisions(log)).isInstanceOf(IOException.class).hasMessageContaining("line 1 is not JSON");
        assertThat(Hooks.decisions(log.resolveSibling("missing.jsonl"))).isEmpty();
    }

    private static HookHarness.Result runScript(Path script, Path log, String payload) throws Exception {
        Process p = new ProcessBuilder("bash", script.toString(), "pre").start();
        p.getOutputStream().write(payload.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return new HookHarness.Result(p.exitValue(), out, err, Files.exists(log) ? Hooks.decisions(log) : List.of());
    }
}
