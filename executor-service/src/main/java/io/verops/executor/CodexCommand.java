package io.verops.executor;

import io.verops.core.Phase;
import io.verops.core.operation.Operation;
import io.verops.core.operation.SandboxBypass;
import io.verops.core.operation.SandboxMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The {@code codex exec} command line for one attempt. The sandbox is always read-only for the dry run and the
 * operation's own for the apply: never weaker than declared. Codex runs without a sandbox only for the apply of
 * an operation declaring {@code danger-full-access}, and only where the deployment allows a bypass
 * ({@link SandboxBypass#ALLOWED}, {@code verops.executor.allow-sandbox-bypass=true}); otherwise no form of bypass
 * ever reaches codex's command line ({@link #requireNoBypass}).
 */
public final class CodexCommand {
    private CodexCommand() {
    }

    /**
     * The sandbox of one attempt: read-only for a dry run, whatever the operation declares; the declared one for
     * the apply. An operation declaring {@code danger-full-access} is refused unless {@code bypass} is
     * {@link SandboxBypass#ALLOWED} (the executor's catalog refuses it at load already; this is the last check).
     */
    public static SandboxMode sandbox(Operation op, Phase phase, SandboxBypass bypass) {
        Objects.requireNonNull(op, "op == null");
        Objects.requireNonNull(phase, "phase == null");
        Objects.requireNonNull(bypass, "bypass == null");
        SandboxMode declared = SandboxMode.of(op.sandbox());
        if (phase == Phase.DRY_RUN) {
            return SandboxMode.READ_ONLY;
        }
        if (declared.bypassesSandbox() && bypass != SandboxBypass.ALLOWED) {
            throw new IllegalStateException("operation '" + op.name() + "' declares sandbox 'danger-full-access' but "
                    + "this executor does not allow running codex without its sandbox (set "
                    + "verops.executor.allow-sandbox-bypass=true only where the pod itself is the sandbox)");
        }
        return declared;
    }

    /** As {@link #argv(Path, Operation, Phase, ModelEndpoint, Path, Path, List, String, SandboxBypass)}, no bypass. */
    public static List<String> argv(Path codex, Operation op, Phase phase, ModelEndpoint endpoint, Path workspace,
                                    Path lastMessageFile, List<Path> writableDirs, String prompt) {
        return argv(codex, op, phase, endpoint, workspace, lastMessageFile, writableDirs, prompt, SandboxBypass.REFUSED);
    }

    public static List<String> argv(Path codex, Operation op, Phase phase, ModelEndpoint endpoint, Path workspace,
                                    Path lastMessageFile, List<Path> writableDirs, String prompt,
                                    SandboxBypass bypass) {
        SandboxMode sandbox = sandbox(op, phase, bypass);
        List<String> a = new ArrayList<>();
        a.add(codex.toString());
        a.add("exec");
        a.add("--json");
        a.add("--ephemeral");
        a.add("--skip-git-repo-check");
        a.add("--color");
        a.add("never");
        a.add("--output-schema");
        a.add(op.outputSchemaFile().toAbsolutePath().toString());
        a.add("-o");
        a.add(lastMessageFile.toString());
        a.add("--sandbox");
        a.add(sandbox.wire());
        a.add("-C");
        a.add(workspace.toString());
        if (sandbox == SandboxMode.WORKSPACE_WRITE) {
            for (Path d : writableDirs) {
                a.add("--add-dir");
                a.add(d.toString());
            }
        }
        a.add("-m");
        a.add(op.model().name());
        a.add("-c");
        a.add("model_reasoning_effort=\"" + op.model().reasoningEffort() + "\"");
        a.add("-c");
        a.add("model_provider=\"" + endpoint.providerId() + "\"");
        a.add("-c");
        a.add("model_providers." + endpoint.providerId() + ".name=\"" + endpoint.providerId() + "\"");
        a.add("-c");
        a.add("model_providers." + endpoint.providerId() + ".base_url=\"" + endpoint.baseUrl() + "\"");
        a.add("-c");
        a.add("model_providers." + endpoint.providerId() + ".wire_api=\"responses\"");
        if (endpoint.envKey() != null) {
            a.add("-c");
            a.add("model_providers." + endpoint.providerId() + ".env_key=\"" + endpoint.envKey() + "\"");
        }
        // verops retries transient failures itself, once, and records it; codex must not hide them.
        a.add("-c");
        a.add("model_providers." + endpoint.providerId() + ".request_max_retries=0");
        a.add("-c");
        a.add("model_providers." + endpoint.providerId() + ".stream_max_retries=0");
        a.add("-c");
        a.add("sandbox_workspace_write.exclude_slash_tmp=true");
        a.add("-c");
        a.add("sandbox_workspace_write.exclude_tmpdir_env_var=true");
        a.add("--");
        a.add(prompt);
        requireNoBypass(a, sandbox == SandboxMode.DANGER_FULL_ACCESS ? SandboxBypass.ALLOWED : SandboxBypass.REFUSED);
        return a;
    }

    /**
     * Refuses a command line that runs codex without its sandbox unless {@code bypass} is
     * {@link SandboxBypass#ALLOWED}: {@code --dangerously-bypass-approvals-and-sandbox}, {@code --yolo},
     * {@code --sandbox}/{@code -s danger-full-access} and {@code -c sandbox_mode=danger-full-access}, in any of their
     * spellings. Even when allowed, the approvals bypass and {@code --yolo} are refused: verops never needs them.
     * Options after {@code --} are the prompt and are not read.
     */
    public static void requireNoBypass(List<String> argv, SandboxBypass bypass) {
        Objects.requireNonNull(bypass, "bypass == null");
        for (int i = 0; i < argv.size(); i++) {
            String arg = argv.get(i);
            if (arg.equals("--")) {
                return;
            }
            String next = i + 1 < argv.size() ? argv.get(i + 1) : "";
            if (arg.equals("--dangerously-bypass-approvals-and-sandbox") || arg.equals("--yolo")) {
                throw new IllegalStateException("codex must not be given " + arg + " (verops bypasses at most the "
                        + "sandbox, with --sandbox danger-full-access, and only when verops.executor.allow-sandbox-bypass=true)");
            }
            boolean fullAccess = ((arg.equals("--sandbox") || arg.equals("-s")) && next.equals("danger-full-access"))
                    || arg.equals("--sandbox=danger-full-access") || arg.equals("-sdanger-full-access")
                    || ((arg.equals("-c") || arg.equals("--config")) && setsFullAccess(next))
                    || (arg.startsWith("--config=") && setsFullAccess(arg.substring("--config=".length())))
                    || (arg.startsWith("-c") && arg.length() > 2 && !arg.startsWith("--") && setsFullAccess(arg.substring(2)));
            if (fullAccess && bypass != SandboxBypass.ALLOWED) {
                throw new IllegalStateException("codex must not run without its sandbox here ('" + arg
                        + (arg.startsWith("-") && !arg.contains("=") ? " " + next : "") + "'): set "
                        + "verops.executor.allow-sandbox-bypass=true only where the pod itself is the sandbox");
            }
        }
    }

    /** Whether a {@code -c key=value} override sets codex's sandbox mode to danger-full-access. */
    private static boolean setsFullAccess(String override) {
        int eq = override.indexOf('=');
        if (eq < 0) {
            return false;
        }
        String key = override.substring(0, eq).strip();
        String value = override.substring(eq + 1).strip().replace("\"", "").replace("'", "").toLowerCase(Locale.ROOT);
        return (key.equals("sandbox_mode") || key.endsWith(".sandbox_mode") || key.equals("sandbox"))
                && value.equals("danger-full-access");
    }
}
