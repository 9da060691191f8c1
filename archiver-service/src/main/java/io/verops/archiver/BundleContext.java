package io.verops.archiver;

import io.verops.core.operation.Operation;
import io.verops.core.operation.OperationCatalog;
import io.verops.core.operation.SandboxBypass;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the archiver knows beyond the topics, for the provenance of its bundles: the verops and codex versions,
 * the model provider, the operations' definitions, and where its signing key comes from. Per-batch facts
 * (input digest, times, approver) come from the batch's own events.
 *
 * @param veropsVersion the verops release; null or blank for a build run from classes ("development")
 * @param modelProvider where codex sent its model requests ("codex-sim", "openai-api"), or null when unknown
 */
public record BundleContext(String veropsVersion, String codexVersion, String modelProvider,
                            Map<String, OperationFacts> operations, KeySettings keys) {
    private static final Logger LOG = LoggerFactory.getLogger(BundleContext.class);
    public static final String UNKNOWN = "unknown";

    public BundleContext {
        veropsVersion = veropsVersion == null || veropsVersion.isBlank() ? "development" : veropsVersion;
        codexVersion = codexVersion == null || codexVersion.isBlank() ? UNKNOWN : codexVersion;
        operations = Map.copyOf(operations);
        Objects.requireNonNull(keys, "keys == null");
    }

    /** A context from an operation catalog. */
    public static BundleContext of(OperationCatalog catalog, String veropsVersion, String codexVersion,
                                   String modelProvider, KeySettings keys) {
        Map<String, OperationFacts> ops = new LinkedHashMap<>();
        for (Operation op : catalog.all()) {
            ops.put(op.name(), OperationFacts.of(op));
        }
        return new BundleContext(veropsVersion, codexVersion, modelProvider, ops, keys);
    }

    /**
     * A context for a verops home: its operations (when {@code <home>/operations} loads), the key settings of
     * the environment ({@link KeySettings#fromEnvironment}), unknown codex version and model provider.
     */
    public static BundleContext forHome(Path home) {
        Map<String, OperationFacts> ops = new LinkedHashMap<>();
        try {
            for (Operation op : OperationCatalog.load(home.resolve("operations"), SandboxBypass.NOT_RUN_HERE).all()) {
                ops.put(op.name(), OperationFacts.of(op));
            }
        } catch (RuntimeException e) {
            LOG.warn("bundle provenance will lack operation digests: {}", e.getMessage());
        }
        return new BundleContext(implementationVersion(), UNKNOWN, null, ops, KeySettings.fromEnvironment(home));
    }

    /**
     * The verops home of this process: system property {@code verops.home}, else {@code VEROPS_HOME}, else the
     * working directory.
     */
    public static Path defaultHome() {
        String p = System.getProperty("verops.home");
        if (p == null || p.isBlank()) {
            p = System.getenv("VEROPS_HOME");
        }
        return (p == null || p.isBlank() ? Path.of("") : Path.of(p)).toAbsolutePath().normalize();
    }

    public Optional<OperationFacts> operation(String name) {
        return Optional.ofNullable(operations.get(name));
    }

    /** The version in the jar's manifest, or "development" when run from classes. */
    public static String implementationVersion() {
        String v = BundleContext.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    /**
     * What {@code <codex> --version} prints (e.g. {@code codex-cli 0.169.0}), or {@code unknown (<why>)} when it
     * cannot be run. Called once at start-up.
     */
    public static String probeCodexVersion(Path codexBinary) {
        return io.verops.core.CodexVersion.probe(codexBinary);
    }
}
