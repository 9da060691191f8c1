package io.verops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.verops.archiver.KeySettings;
import io.verops.core.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A deployment's own signing key, made with openssl as docs/evidence.md says and supplied with
 * {@code verops.signing.key}: a real run (embedded broker, real codex, codex-sim) signs its bundles with it, its
 * public key is the one shipped in the bundle, and no key folder is created.
 */
class SuppliedSigningKeyTest {
    @Test
    void aDeploymentsOwnKeySignsTheBundlesAndNoKeyFolderIsCreated() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed: it makes the deployment's key");
        Path work = Files.createDirectories(Path.of("target", "supplied-key-" + System.nanoTime()).toAbsolutePath());
        Path home = VerificationEndToEndTest.linkedHome(work.resolve("home"), Map.of());
        Path key = work.resolve("ops-signing-key.pem");
        Path pub = work.resolve("ops-signing-key.pub.pem");
        assertThat(openssl("genpkey", "-algorithm", "ed25519", "-out", key.toString())).isZero();
        assertThat(openssl("pkey", "-in", key.toString(), "-pubout", "-out", pub.toString())).isZero();
        Path input = Files.writeString(work.resolve("one.csv"), "email,role,team\nkim@example.com,viewer,ops\n");

        String previousHome = System.getProperty("verops.home");
        String previousKey = System.getProperty(KeySettings.KEY_FILE_PROPERTY);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code;
        try {
            System.setProperty("verops.home", home.toString());
            System.setProperty(KeySettings.KEY_FILE_PROPERTY, key.toString());
            code = Main.execute(new String[] {"run", "--operation", "user-provisioning", "--input", input.toString(),
                    "--yes", "--reports", work.resolve("reports").toString(), "--target-db",
                    work.resolve("target.db").toString()}, new PrintWriter(out, true), new PrintWriter(err, true));
        } finally {
            restore("verops.home", previousHome);
            restore(KeySettings.KEY_FILE_PROPERTY, previousKey);
        }

        assertThat(code).as(out + "\n" + err).isEqualTo(ExitCodes.OK);
        List<String> lines = out.toString().lines().filter(l -> !l.isBlank()).toList();
        Path bundle = Path.of(lines.get(lines.size() - 1));
        String pubPem = Files.readString(pub, StandardCharsets.UTF_8);
        assertThat(Files.readString(bundle.resolve("public-key.pem"))).isEqualTo(pubPem);
        assertThat(Files.readString(bundle.resolveSibling(bundle.getFileName() + ".dry-run").resolve("public-key.pem")))
                .isEqualTo(pubPem);
        assertThat(home.resolve("var/keys")).as("a supplied key leaves the key folder unused").doesNotExist();

        StringWriter vout = new StringWriter();
        int verified = Main.execute(new String[] {"verify", bundle.toString(), "--key", pub.toString()},
                new PrintWriter(vout, true), new PrintWriter(new StringWriter(), true));
        assertThat(verified).as(vout.toString()).isEqualTo(ExitCodes.OK);
        assertThat(vout.toString()).contains("from --key " + pub + ")");
        JsonNode env = Json.mapper().readTree(bundle.resolve("manifest.json").toFile());
        assertThat(vout.toString()).contains("key " + env.path("signatures").get(0).path("keyid").asText().substring(0, 12));
    }

    private static int openssl(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }

    private static void restore(String property, String previous) {
        if (previous == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, previous);
        }
    }
}
