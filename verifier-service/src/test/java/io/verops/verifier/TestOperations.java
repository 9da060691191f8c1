package io.verops.verifier;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.verops.core.Json;
import io.verops.core.Phase;
import io.verops.core.messages.Evidence;
import io.verops.core.messages.ResultMessage;
import io.verops.core.messages.Usage;
import io.verops.core.operation.Operation;
import io.verops.core.operation.OperationCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** The project's own operations, and variants of them written to a scratch folder, plus results to judge. */
final class TestOperations {
    static final String ITEM = "ann@example.com";
    static final String INSERT = "sqlite3 -cmd '.timeout 5000' '/t/users.db' 'INSERT INTO users(email, role, team, "
            + "created_at) VALUES(''ann@example.com'', ''viewer'', ''ops'', strftime(''%Y-%m-%dT%H:%M:%SZ'',''now''));'";

    private TestOperations() {
    }

    static Path root() {
        return Path.of(System.getProperty("verops.root", "..")).toAbsolutePath().normalize();
    }

    static Operation userProvisioning() {
        return OperationCatalog.loadOne(root().resolve("operations/user-provisioning"));
    }

    /** A copy of user-provisioning whose operation.json was edited. */
    static Operation userProvisioning(Consumer<ObjectNode> edit) {
        return OperationCatalog.loadOne(copy("user-provisioning", edit));
    }

    /** Copies an operation's folder under target/ and edits its operation.json; returns the copy's folder. */
    static Path copy(String operation, Consumer<ObjectNode> edit) {
        try {
            Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "ops")), "op")
                    .resolve(operation);
            Files.createDirectories(dir);
            try (Stream<Path> files = Files.list(root().resolve("operations").resolve(operation))) {
                for (Path f : files.toList()) {
                    Files.copy(f, dir.resolve(f.getFileName()));
                }
            }
            Path def = dir.resolve("operation.json");
            ObjectNode json = (ObjectNode) Json.mapper().readTree(def.toFile());
            edit.accept(json);
            Files.writeString(def, Json.pretty(json));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String answer(String itemId, String status, boolean dryRun) {
        return "{\"item_id\":\"" + itemId + "\",\"status\":\"" + status + "\",\"dry_run\":" + dryRun
                + ",\"message\":\"agent says " + status + "\",\"changes\":[]}";
    }

    static ResultMessage result(Phase phase, String finalMessage, Evidence evidence) {
        Instant t = Instant.parse("2026-01-02T03:04:05Z");
        return new ResultMessage("b-1", "user-provisioning", ITEM, 1, phase, 1, false, 0, finalMessage, null,
                Usage.ZERO, 6, t, t.plusSeconds(2), 1500, null, null, evidence);
    }

    static Evidence.Command ran(String command, int exitCode) {
        return new Evidence.Command(command, exitCode, exitCode == 0 ? "completed" : "failed", "", 0, null);
    }

    static Evidence evidence(List<Evidence.Command> commands) {
        return new Evidence(commands, List.of(), List.of(), null, "agent_message");
    }
}
