package io.verops.archiver;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where the archiver's Ed25519 signing key comes from.
 *
 * <ul>
 * <li>{@value #KEY_DIR_ENV} (system property {@value #KEY_DIR_PROPERTY}): the key folder; default
 * {@code <verops home>/var/keys}. On first use a key pair is created there ({@value #PRIVATE_KEY_FILE}, owner-only
 * 0600, in a 0700 folder) and reused afterwards.</li>
 * <li>{@value #KEY_FILE_ENV} (system property {@value #KEY_FILE_PROPERTY}): a deployment's own private key,
 * an Ed25519 PKCS#8 PEM file ({@code -----BEGIN PRIVATE KEY-----}); when set, the key folder is not used.</li>
 * </ul>
 *
 * @param keyDir         the key folder (used when {@code privateKeyFile} is null)
 * @param privateKeyFile a supplied private key, or null
 */
public record KeySettings(Path keyDir, Path privateKeyFile) {
    public static final String KEY_DIR_ENV = "VEROPS_KEY_DIR";
    public static final String KEY_DIR_PROPERTY = "verops.keys.dir";
    public static final String KEY_FILE_ENV = "VEROPS_SIGNING_KEY";
    public static final String KEY_FILE_PROPERTY = "verops.signing.key";
    public static final String PRIVATE_KEY_FILE = "signing-key.pem";
    public static final String PUBLIC_KEY_FILE = "signing-key.pub.pem";

    public KeySettings {
        Objects.requireNonNull(keyDir, "keyDir == null");
    }

    /** The default: a key folder {@code var/keys} under the verops home. */
    public static KeySettings inHome(Path home) {
        return new KeySettings(home.resolve("var").resolve("keys").toAbsolutePath().normalize(), null);
    }

    /** From system properties, else environment variables, else {@link #inHome(Path)}. */
    public static KeySettings fromEnvironment(Path home) {
        return from(home, System.getenv(), key -> System.getProperty(key));
    }

    static KeySettings from(Path home, Map<String, String> env, java.util.function.Function<String, String> props) {
        String dir = firstSet(props.apply(KEY_DIR_PROPERTY), env.get(KEY_DIR_ENV));
        String file = firstSet(props.apply(KEY_FILE_PROPERTY), env.get(KEY_FILE_ENV));
        Path keyDir = dir == null ? inHome(home).keyDir() : Path.of(dir).toAbsolutePath().normalize();
        return new KeySettings(keyDir, file == null ? null : Path.of(file).toAbsolutePath().normalize());
    }

    private static String firstSet(String a, String b) {
        if (a != null && !a.isBlank()) {
            return a;
        }
        return b == null || b.isBlank() ? null : b;
    }
}
