package io.verops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.verops.archiver.KeySettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real run of the example batch (embedded broker, real codex, codex-sim) whose bundles the Verify* tests check.
 * The verops home is the repository's operations and tools seen through a private folder (symbolic links), so
 * that the run's broker data (var/kafka) and signing key (var/keys) are its own, whatever else runs at the time.
 */
final class VerifyFixture {
    final Path work;
    final Path home;
    final Path keys;
    final Path bundle;
    final String batchId;
    private final String previousHome;

    private VerifyFixture(Path work, Path home, Path bundle, String previousHome) {
        this.work = work;
        this.home = home;
        this.keys = home.resolve("var/keys");
        this.bundle = bundle;
        this.batchId = bundle.getFileName().toString();
        this.previousHome = previousHome;
    }

    static VerifyFixture run(String name) throws IOException {
        Path work = Files.createDirectories(Path.of("target", name + "-" + System.nanoTime()).toAbsolutePath());
        Path root = CliRun.repoRoot();
        Path home = Files.createDirectories(work.resolve("home"));
        Files.createSymbolicLink(home.resolve("operations"), root.resolve("operations"));
        Files.createSymbolicLink(home.resolve(".tools"), root.resolve(".tools"));
        String previous = System.getProperty("verops.home");
        System.setProperty("verops.home", home.toString());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new String[] {"run", "--operation", "user-provisioning", "--input",
                root.resolve("examples/batches/users.csv").toString(), "--yes", "--reports", work.resolve("reports").toString(),
                "--target-db", work.resolve("target.db").toString()}, new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(code).as(err.toString()).isEqualTo(ExitCodes.NOT_ALL_SUCCEEDED); // two rows need input
        List<String> lines = out.toString().lines().filter(l -> !l.isBlank()).toList();
        Path bundle = Path.of(lines.get(lines.size() - 1));
        assertThat(bundle.resolve("manifest.json")).exists();
        assertThat(home.resolve("var/keys").resolve(KeySettings.PRIVATE_KEY_FILE)).exists();
        return new VerifyFixture(work, home, bundle, previous);
    }

    void close() {
        if (previousHome == null) {
            System.clearProperty("verops.home");
        } else {
            System.setProperty("verops.home", previousHome);
        }
    }
}
