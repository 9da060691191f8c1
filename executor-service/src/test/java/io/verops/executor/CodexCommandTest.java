package io.verops.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.verops.core.Json;
import io.verops.core.Phase;
import io.verops.core.operation.Operation;
import io.verops.core.operation.OperationCatalog;
import io.verops.core.operation.OperationDefinitionException;
import io.verops.core.operation.SandboxBypass;
import io.verops.core.operation.SandboxMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The sandbox codex is given: never weaker than declared, bypassed only where the deployment allows it. */
class CodexCommandTest {
    private static final Path ROOT = Path.of(System.getProperty("verops.root", ".."));
    private static final Path CODEX = Path.of("/opt/codex");
    private static final Path WORKSPACE = Path.of("/work/ws");
    private static final Path TARGET_DIR = Path.of("/data/targets");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"read-only", "workspace-write", "danger-full-access"})
    void aDryRunIsAlwaysReadOnlyWhateverTheOperationDeclares(String declared) throws IOException {
        Operation op = operationDeclaring(declared, SandboxBypass.ALLOWED);
        for (SandboxBypass bypass : List.of(SandboxBypass.REFUSED, SandboxBypass.ALLOWED)) {
            List<String> argv = argv(op, Phase.DRY_RUN, bypass);
            assertThat(sandboxOf(argv)).isEqualTo("read-only");
            assertThat(argv).doesNotContain("--add-dir");
            assertNoBypass(argv);
        }
    }

    @Test
    void anApplyRunsTheSandboxTheOperationDeclaresAndNoWeaker() throws IOException {
        Operation readOnly = operationDeclaring("read-only", SandboxBypass.REFUSED);
        Operation write = operationDeclaring("workspace-write", SandboxBypass.REFUSED);

        List<String> readOnlyApply = argv(readOnly, Phase.APPLY, SandboxBypass.ALLOWED);
        assertThat(sandboxOf(readOnlyApply)).isEqualTo("read-only");
        assertThat(readOnlyApply).doesNotContain("--add-dir");
        assertNoBypass(readOnlyApply);

        List<String> writeApply = argv(write, Phase.APPLY, SandboxBypass.ALLOWED);
        assertThat(sandboxOf(writeApply)).isEqualTo("workspace-write");
        assertThat(writeApply).containsSubsequence("--add-dir", TARGET_DIR.toString());
        assertNoBypass(writeApply);

        for (Operation op : List.of(readOnly, write)) {
            for (Phase phase : Phase.values()) {
                for (SandboxBypass bypass : List.of(SandboxBypass.REFUSED, SandboxBypass.ALLOWED)) {
                    SandboxMode used = CodexCommand.sandbox(op, phase, bypass);
                    assertThat(used.atLeastAsStrictAs(SandboxMode.of(op.sandbox())))
                            .as("%s %s with %s", op.sandbox(), phase, bypass).isTrue();
                }
            }
        }
    }

    @Test
    void theRepositorysOperationsNeverGetABypass() {
        OperationCatalog catalog = OperationCatalog.load(ROOT.resolve("operations"));
        for (Operation op : catalog.all()) {
            for (Phase phase : Phase.values()) {
                assertNoBypass(argv(op, phase, SandboxBypass.REFUSED));
                assertNoBypass(argv(op, phase, SandboxBypass.ALLOWED));
            }
        }
    }

    @Test
    void aDangerFullAccessApplyIsRefusedUnlessTheDeploymentAllowsIt() throws IOException {
        Operation op = operationDeclaring("danger-full-access", SandboxBypass.ALLOWED);
        assertThatThrownBy(() -> argv(op, Phase.APPLY, SandboxBypass.REFUSED))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("declares sandbox 'danger-full-access'")
                .hasMessageContaining("verops.executor.allow-sandbox-bypass=true");
    }

    @Test
    void whenAllowedADangerFullAccessApplyBypassesOnlyTheSandbox() throws IOException {
        Operation op = operationDeclaring("danger-full-access", SandboxBypass.ALLOWED);
        List<String> argv = argv(op, Phase.APPLY, SandboxBypass.ALLOWED);
        assertThat(sandboxOf(argv)).isEqualTo("danger-full-access");
        assertThat(argv).doesNotContain("--dangerously-bypass-approvals-and-sandbox", "--yolo", "--add-dir");
        assertThatThrownBy(() -> CodexCommand.requireNoBypass(argv, SandboxBypass.REFUSED))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void everySpellingOfABypassIsRefusedWithoutTheKey() {
        List<List<String>> bypasses = List.of(
                List.of("--dangerously-bypass-approvals-and-sandbox"),
                List.of("--yolo"),
                List.of("--sandbox", "danger-full-access"),
                List.of("-s", "danger-full-access"),
                List.of("--sandbox=danger-full-access"),
                List.of("-c", "sandbox_mode=danger-full-access"),
                List.of("-c", "sandbox_mode=\"danger-full-access\""),
                List.of("-c", "sandbox_mode = 'danger-full-access'"),
                List.of("--config", "sandbox_mode=\"danger-full-access\""),
                List.of("--config=sandbox_mode=danger-full-access"),
                List.of("-csandbox_mode=danger-full-access"),
                List.of("-c", "profiles.ops.sandbox_mode=\"danger-full-access\""));
        for (List<String> bypass : bypasses) {
            List<String> argv = new ArrayList<>(List.of("codex", "exec", "--json"));
            argv.addAll(bypass);
            argv.addAll(List.of("--", "prompt"));
            assertThatThrownBy(() -> CodexCommand.requireNoBypass(argv, SandboxBypass.REFUSED))
                    .as("%s", bypass).isInstanceOf(IllegalStateException.class);
        }
        // the approvals bypass is refused even where the sandbox bypass is allowed: verops never needs it
        assertThatThrownBy(() -> CodexCommand.requireNoBypass(
                List.of("codex", "exec", "--dangerously-bypass-approvals-and-sandbox", "--", "p"), SandboxBypass.ALLOWED))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> CodexCommand.requireNoBypass(List.of("codex", "exec", "--yolo"), SandboxBypass.ALLOWED))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theHookTrustFlagAndThePromptAreNotMistakenForABypass() {
        assertThatCode(() -> CodexCommand.requireNoBypass(List.of("codex", "exec", "--dangerously-bypass-hook-trust",
                "--sandbox", "workspace-write", "-c", "sandbox_workspace_write.exclude_slash_tmp=true", "--",
                "do not pass --yolo or --sandbox danger-full-access"), SandboxBypass.REFUSED)).doesNotThrowAnyException();
    }

    @Test
    void everyAttemptsEvidenceSaysWhichSandboxCodexRanIn() throws IOException {
        Operation write = operationDeclaring("workspace-write", SandboxBypass.REFUSED);
        JsonNode dry = ExecutorStage.sandboxEvent(write, CodexCommand.sandbox(write, Phase.DRY_RUN, SandboxBypass.REFUSED));
        assertThat(dry.toString()).isEqualTo(
                "{\"type\":\"verops.sandbox\",\"mode\":\"read-only\",\"declared\":\"workspace-write\",\"bypass\":false}");

        Operation danger = operationDeclaring("danger-full-access", SandboxBypass.ALLOWED);
        JsonNode apply = ExecutorStage.sandboxEvent(danger, CodexCommand.sandbox(danger, Phase.APPLY, SandboxBypass.ALLOWED));
        assertThat(apply.path("mode").asText()).isEqualTo("danger-full-access");
        assertThat(apply.path("bypass").asBoolean()).isTrue();
        assertThat(apply.path("allowed_by").asText()).isEqualTo("verops.executor.allow-sandbox-bypass=true");
    }

    @Test
    void anOperationDeclaringDangerFullAccessIsRefusedAtLoadUnlessTheDeploymentAllowsIt() throws IOException {
        Path folder = copyOfUserProvisioning("danger-full-access");
        assertThatThrownBy(() -> OperationCatalog.load(folder.getParent()))
                .isInstanceOf(OperationDefinitionException.class)
                .hasMessageContaining("operation.json: 'sandbox' is 'danger-full-access'")
                .hasMessageContaining("set verops.executor.allow-sandbox-bypass=true on the executor");
        assertThatThrownBy(() -> OperationCatalog.load(folder.getParent(), SandboxBypass.REFUSED))
                .isInstanceOf(OperationDefinitionException.class);
        assertThat(OperationCatalog.load(folder.getParent(), SandboxBypass.ALLOWED).require("user-provisioning").sandbox())
                .isEqualTo("danger-full-access");
        // ingest, verifier and archiver never run codex: they read the declaration and leave the decision here
        assertThat(OperationCatalog.load(folder.getParent(), SandboxBypass.NOT_RUN_HERE).all()).hasSize(1);
    }

    @Test
    void anUnknownSandboxIsStillRefusedEverywhere() throws IOException {
        Path folder = copyOfUserProvisioning("none");
        for (SandboxBypass bypass : SandboxBypass.values()) {
            assertThatThrownBy(() -> OperationCatalog.load(folder.getParent(), bypass))
                    .isInstanceOf(OperationDefinitionException.class)
                    .hasMessageContaining("'sandbox' must be one of read-only, workspace-write, danger-full-access (found 'none')");
        }
    }

    @Test
    void executorSettingsRefuseAProcessThatDoesNotRunCodexAsTheirBypass() {
        assertThatThrownBy(() -> new ExecutorSettings(CODEX, dir, dir, ModelEndpoint.codexSim("http://127.0.0.1:9/v1"),
                1, java.time.Duration.ZERO, null, null, SandboxBypass.NOT_RUN_HERE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new ExecutorSettings(CODEX, dir, dir, ModelEndpoint.codexSim("http://127.0.0.1:9/v1"), 1,
                java.time.Duration.ZERO, null).sandboxBypass()).isEqualTo(SandboxBypass.REFUSED);
    }

    private List<String> argv(Operation op, Phase phase, SandboxBypass bypass) {
        return CodexCommand.argv(CODEX, op, phase, ModelEndpoint.codexSim("http://127.0.0.1:9/v1"), WORKSPACE,
                WORKSPACE.resolve("last.txt"), List.of(TARGET_DIR), "the prompt", bypass);
    }

    private static String sandboxOf(List<String> argv) {
        int i = argv.indexOf("--sandbox");
        assertThat(i).as("--sandbox in %s", argv).isGreaterThan(0);
        assertThat(argv.subList(i + 1, argv.size())).as("one --sandbox only").doesNotContain("--sandbox");
        return argv.get(i + 1);
    }

    private static void assertNoBypass(List<String> argv) {
        assertThat(argv).doesNotContain("--dangerously-bypass-approvals-and-sandbox", "--yolo", "danger-full-access");
        assertThat(argv).noneMatch(a -> a.contains("sandbox_mode"));
        assertThatCode(() -> CodexCommand.requireNoBypass(argv, SandboxBypass.REFUSED)).doesNotThrowAnyException();
    }

    private Operation operationDeclaring(String sandbox, SandboxBypass bypass) throws IOException {
        return OperationCatalog.loadOne(copyOfUserProvisioning(sandbox), bypass);
    }

    private Path copyOfUserProvisioning(String sandbox) throws IOException {
        Path source = ROOT.resolve("operations/user-provisioning");
        Path copy = Files.createDirectories(dir.resolve(sandbox).resolve("user-provisioning"));
        try (var files = Files.list(source)) {
            for (Path f : files.toList()) {
                if (Files.isRegularFile(f)) {
                    Files.copy(f, copy.resolve(f.getFileName()));
                }
            }
        }
        Path def = copy.resolve(OperationCatalog.DEFINITION_FILE);
        ObjectNode json = (ObjectNode) Json.mapper().readTree(def.toFile());
        json.put("sandbox", sandbox);
        Files.writeString(def, json.toPrettyString());
        return copy;
    }
}
