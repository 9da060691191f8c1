package io.verops.archiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeyTest {
    @TempDir
    Path tmp;

    @Test
    void aSuppliedPkcs8KeyIsUsedInsteadOfTheKeyFolder() throws Exception {
        SigningKey original = SigningKey.generate();
        Path file = Files.writeString(tmp.resolve("deploy-key.pem"), original.privateKeyPem());

        SigningKey loaded = SigningKey.loadOrCreate(new KeySettings(tmp.resolve("unused"), file));

        assertThat(loaded.keyId()).isEqualTo(original.keyId());
        assertThat(loaded.publicKeyPem()).isEqualTo(original.publicKeyPem());
        assertThat(tmp.resolve("unused")).doesNotExist();
    }

    @Test
    void aSuppliedKeyThatIsNotEd25519IsRefusedNamingTheFile() throws Exception {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
        String pem = io.verops.archiver.internal.Pem.encode("PRIVATE KEY", g.generateKeyPair().getPrivate().getEncoded());
        Path file = Files.writeString(tmp.resolve("ec.pem"), pem);

        assertThatThrownBy(() -> SigningKey.loadOrCreate(new KeySettings(tmp, file)))
                .hasMessageStartingWith(file + ": not an Ed25519 PKCS#8 private key");
    }

    @Test
    void aSignatureChecksWithOpenssl() throws Exception {
        assumeTrue(onPath("openssl"), "openssl is not installed: the interoperability check needs it");
        SigningKey key = SigningKey.generate();
        byte[] message = io.verops.archiver.internal.Dsse.pae(Manifest.PAYLOAD_TYPE, "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        Path pub = Files.writeString(tmp.resolve("pub.pem"), key.publicKeyPem());
        Path msg = Files.write(tmp.resolve("pae.bin"), message);
        Path sig = Files.write(tmp.resolve("sig.bin"), key.sign(message));

        Run r = run("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", pub.toString(), "-rawin", "-in", msg.toString(),
                "-sigfile", sig.toString());

        assertThat(r.output()).contains("Signature Verified Successfully");
        assertThat(r.code()).isZero();
    }

    @Test
    void aKeyMadeByOpensslSignsAndItsPublicKeyIsDerivedExactly() throws Exception {
        assumeTrue(onPath("openssl"), "openssl is not installed: the interoperability check needs it");
        Path priv = tmp.resolve("openssl-key.pem");
        assertThat(run("openssl", "genpkey", "-algorithm", "ed25519", "-out", priv.toString()).code()).isZero();
        Run pub = run("openssl", "pkey", "-in", priv.toString(), "-pubout");

        SigningKey key = SigningKey.readPrivateKeyFile(priv);

        assertThat(key.publicKeyPem()).isEqualTo(pub.output());
    }

    private record Run(int code, String output) {
    }

    private static Run run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
