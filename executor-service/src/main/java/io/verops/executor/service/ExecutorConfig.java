package io.verops.executor.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.verops.core.operation.SandboxBypass;
import io.verops.executor.ModelEndpoint;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The executor service's settings; docs/services.md lists them. */
@ConfigMapping(prefix = "verops")
public interface ExecutorConfig {
    /** The value of {@code verops.executor.model.env-key} that means "send no key". */
    String NO_KEY = "none";

    /** The verops home: the folder holding {@code operations/}; relative target databases resolve against it. */
    @WithDefault(".")
    Path home();

    /** The operation definitions. */
    @WithDefault("${verops.home}/operations")
    Path operationsDir();

    KafkaConfig kafka();

    /**
     * Per operation, a target database that replaces the operation's own: {@code verops.target-db.<operation>=FILE}.
     * The verifier service reads the same key, so that it checks the database the executor changed.
     */
    Map<String, Path> targetDb();

    Executor executor();

    /** {@code verops.executor.*}. */
    interface Executor {
        /** How many codex processes run at once in this instance. */
        @WithDefault("4")
        int concurrency();

        /**
         * The niceness (0 to 19) codex and everything it starts run at; 0 runs them at the executor's own priority.
         * With every core busy with codex processes, the executor's own short steps (records, hooks, verification)
         * still get the CPU at once.
         */
        @WithDefault("10")
        int codexNice();

        /** The pinned codex CLI. */
        @WithDefault("${verops.home}/.tools/codex/node_modules/.bin/codex")
        Path codexBinary();

        /** Per-item workspaces and CODEX_HOMEs (must not be under /tmp: codex's sandbox keeps /tmp closed). */
        @WithDefault("${verops.home}/var/work")
        Path workDir();

        /** The base wait before the single retry of a transient failure. */
        @WithDefault("1s")
        Duration retryBackoff();

        /**
         * How long a stopping executor lets the items it is running finish (and commits them) before it
         * interrupts the rest, which are then redelivered.
         */
        @WithDefault("120s")
        Duration shutdownGrace();

        /**
         * Whether the apply of an operation declaring {@code "sandbox": "danger-full-access"} may run codex without
         * its sandbox; with {@code false} (the default) such an operation is refused at start. Only for deployments
         * where the pod itself is the sandbox (bubblewrap cannot create namespaces there).
         */
        @WithDefault("false")
        boolean allowSandboxBypass();

        default SandboxBypass sandboxBypass() {
            return allowSandboxBypass() ? SandboxBypass.ALLOWED : SandboxBypass.REFUSED;
        }

        Model model();
    }

    /** {@code verops.executor.model.*}: the Responses-API provider codex talks to. */
    interface Model {
        @WithDefault("https://api.openai.com/v1")
        String baseUrl();

        @WithDefault("openai-api")
        String providerId();

        /** The environment variable holding the API key, or {@code none}. */
        @WithDefault("OPENAI_API_KEY")
        String envKey();

        default ModelEndpoint endpoint() {
            String key = envKey().strip();
            return new ModelEndpoint(providerId().strip(), providerId().strip(), baseUrl().strip(),
                    key.equalsIgnoreCase(NO_KEY) ? null : key);
        }
    }

    /** Every problem of the configuration, each naming the key and the fix. */
    default List<String> problems() {
        List<String> problems = new ArrayList<>(kafka().problems());
        if (!Files.isDirectory(operationsDir())) {
            problems.add("verops.operations-dir: " + operationsDir().toAbsolutePath().normalize()
                    + " is not a folder (set verops.home to the folder holding operations/, or verops.operations-dir)");
        }
        Executor e = executor();
        if (e.concurrency() < 1) {
            problems.add("verops.executor.concurrency: must be at least 1 (found " + e.concurrency() + ")");
        }
        if (e.codexNice() < 0 || e.codexNice() > 19) {
            problems.add("verops.executor.codex-nice: must be between 0 and 19 (found " + e.codexNice() + ")");
        }
        if (!Files.isExecutable(e.codexBinary())) {
            problems.add("verops.executor.codex-binary: " + e.codexBinary().toAbsolutePath().normalize()
                    + " is not an executable file (run scripts/setup-tools.sh in verops.home, or point the key at codex)");
        }
        if (e.retryBackoff().isNegative()) {
            problems.add("verops.executor.retry-backoff: must not be negative (found " + e.retryBackoff() + ")");
        }
        Optional<String> urlProblem = urlProblem(e.model().baseUrl().strip());
        urlProblem.ifPresent(p -> problems.add("verops.executor.model.base-url: " + p));
        if (!e.model().providerId().strip().matches("[A-Za-z0-9_-]+")) {
            problems.add("verops.executor.model.provider-id: use letters, digits, '-' and '_' (found '"
                    + e.model().providerId() + "')");
        }
        if (!e.model().envKey().strip().matches("[A-Za-z_][A-Za-z0-9_]*")) {
            problems.add("verops.executor.model.env-key: must name an environment variable, or be 'none' (found '"
                    + e.model().envKey() + "')");
        }
        return problems;
    }

    private static Optional<String> urlProblem(String url) {
        try {
            URI u = URI.create(url);
            if (u.getHost() == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
                return Optional.of("'" + url + "' is not an http(s) URL (e.g. https://api.openai.com/v1)");
            }
            return Optional.empty();
        } catch (IllegalArgumentException ex) {
            return Optional.of("'" + url + "' is not a URL: " + ex.getMessage());
        }
    }
}
