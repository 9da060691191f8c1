package io.verops.executor;

import io.verops.core.Phase;
import io.verops.core.operation.Operation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code codex exec} command line for one attempt. The sandbox is the operation's for the apply and always
 * read-only for the dry run; never weaker than declared, never bypassed.
 */
public final class CodexCommand {
    private CodexCommand() {
    }

    public static List<String> argv(Path codex, Operation op, Phase phase, ModelEndpoint endpoint, Path workspace,
                                    Path lastMessageFile, List<Path> writableDirs, String prompt) {
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
        a.add(phase == Phase.DRY_RUN ? "read-only" : op.sandbox());
        a.add("-C");
        a.add(workspace.toString());
        if (phase == Phase.APPLY && !op.sandbox().equals("read-only")) {
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
        return a;
    }
}
