package io.verops.archiver;

import io.verops.archiver.internal.Pem;
import io.verops.core.internal.Digests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Ed25519 key pair (the JDK's own provider) that signs evidence bundles. Its id is the SHA-256 of the public
 * key's X.509 SubjectPublicKeyInfo encoding, in hex.
 */
public final class SigningKey {
    private static final Logger LOG = LoggerFactory.getLogger(SigningKey.class);
    private static final String ALGORITHM = "Ed25519";
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final String keyId;

    private SigningKey(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey == null");
        this.publicKey = Objects.requireNonNull(publicKey, "publicKey == null");
        this.keyId = keyIdOf(publicKey);
    }

    /** A fresh key pair, kept in memory only. */
    public static SigningKey generate() {
        try {
            KeyPair kp = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
            return new SigningKey(kp.getPrivate(), kp.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no Ed25519: " + e.getMessage(), e);
        }
    }

    /**
     * The key the settings name: the supplied private key file, else the one in the key folder, created there
     * (0600, in a 0700 folder) when the folder holds none yet.
     */
    public static SigningKey loadOrCreate(KeySettings settings) {
        if (settings.privateKeyFile() != null) {
            return readPrivateKeyFile(settings.privateKeyFile());
        }
        Path dir = settings.keyDir();
        Path file = dir.resolve(KeySettings.PRIVATE_KEY_FILE);
        try {
            if (Files.isRegularFile(file)) {
                warnIfReadableByOthers(file);
                return readPrivateKeyFile(file);
            }
            createOwnerOnlyDirectories(dir);
            SigningKey key = generate();
            Path tmp = dir.resolve("." + KeySettings.PRIVATE_KEY_FILE + ".tmp-" + UUID.randomUUID());
            writeOwnerOnly(tmp, key.privateKeyPem());
            try {
                // A hard link fails when the name exists, so two archivers starting at once agree on one key.
                Files.createLink(file, tmp);
            } catch (FileAlreadyExistsException raced) {
                return readPrivateKeyFile(file);
            } catch (UnsupportedOperationException | IOException noLinks) {
                if (Files.exists(file)) {
                    return readPrivateKeyFile(file);
                }
                Files.move(tmp, file);
            } finally {
                Files.deleteIfExists(tmp);
            }
            Files.writeString(dir.resolve(KeySettings.PUBLIC_KEY_FILE), key.publicKeyPem(), StandardCharsets.US_ASCII);
            LOG.info("created the bundle signing key {} in {} (key id {})", KeySettings.PRIVATE_KEY_FILE, dir, key.keyId());
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create or read the signing key in " + dir + ": " + e.getMessage()
                    + " (set " + KeySettings.KEY_DIR_ENV + " to a writable folder, or " + KeySettings.KEY_FILE_ENV
                    + " to an Ed25519 PKCS#8 PEM file)", e);
        }
    }

    /** An Ed25519 private key from a PKCS#8 PEM file; its public key is derived from it. */
    public static SigningKey readPrivateKeyFile(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("signing key " + file + ": cannot read: " + e.getMessage(), e);
        }
        return fromPkcs8Pem(text, file.toString());
    }

    /** An Ed25519 private key from PKCS#8 PEM text ({@code what} names it in errors). */
    public static SigningKey fromPkcs8Pem(String pem, String what) {
        byte[] der = Pem.decode(pem, "PRIVATE KEY", what);
        PrivateKey priv;
        try {
            priv = KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(what + ": not an Ed25519 PKCS#8 private key (" + e.getMessage() + ")", e);
        }
        return new SigningKey(priv, derivePublic(priv, what));
    }

    /** An Ed25519 public key from X.509 SubjectPublicKeyInfo PEM text ({@code what} names it in errors). */
    public static PublicKey readPublicKeyPem(String pem, String what) {
        byte[] der = Pem.decode(pem, "PUBLIC KEY", what);
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(what + ": not an Ed25519 public key (" + e.getMessage() + ")", e);
        }
    }

    /** The key id of a public key: hex SHA-256 of its SubjectPublicKeyInfo encoding. */
    public static String keyIdOf(PublicKey key) {
        return Digests.sha256Hex(key.getEncoded());
    }

    /** Whether {@code signature} is a valid Ed25519 signature of {@code message} by {@code key}. */
    public static boolean verify(PublicKey key, byte[] message, byte[] signature) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initVerify(key);
            s.update(message);
            return s.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    public byte[] sign(byte[] message) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(privateKey);
            s.update(message);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with Ed25519: " + e.getMessage(), e);
        }
    }

    public String keyId() {
        return keyId;
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    public String publicKeyPem() {
        return Pem.encode("PUBLIC KEY", publicKey.getEncoded());
    }

    public String privateKeyPem() {
        return Pem.encode("PRIVATE KEY", privateKey.getEncoded());
    }

    /**
     * The JDK (17) offers no call that derives an Ed25519 public key from a private one; its key pair generator
     * computes the public key from 32 random bytes, so feeding it the private key's own bytes yields the pair.
     * The result is checked by signing and verifying a message.
     */
    private static PublicKey derivePublic(PrivateKey priv, String what) {
        if (!(priv instanceof EdECPrivateKey ed) || ed.getBytes().isEmpty()) {
            throw new IllegalArgumentException(what + ": not an Ed25519 private key");
        }
        byte[] seed = ed.getBytes().get();
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(ALGORITHM);
            g.initialize(255, new FixedBytes(seed));
            PublicKey pub = g.generateKeyPair().getPublic();
            byte[] probe = "verops key check".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(priv);
            s.update(probe);
            if (!verify(pub, probe, s.sign())) {
                throw new IllegalStateException(what + ": cannot derive the public key of this private key");
            }
            return pub;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(what + ": cannot derive the public key: " + e.getMessage(), e);
        }
    }

    private static void createOwnerOnlyDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Files.createDirectories(dir.getParent() == null ? dir : dir.getParent());
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
        } catch (FileAlreadyExistsException e) {
            return;
        } catch (UnsupportedOperationException notPosix) {
            Files.createDirectories(dir);
        }
        setPermissions(dir, OWNER_DIR);
    }

    private static void writeOwnerOnly(Path file, String text) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_FILE));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
        setPermissions(file, OWNER_FILE); // the umask may have narrowed what createFile was given, never widened
        Files.writeString(file, text, StandardCharsets.US_ASCII);
    }

    private static void setPermissions(Path p, Set<PosixFilePermission> perms) throws IOException {
        try {
            Files.setPosixFilePermissions(p, perms);
        } catch (UnsupportedOperationException notPosix) {
            // a file system without POSIX permissions: nothing more to do
        }
    }

    private static void warnIfReadableByOthers(Path file) {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.warn("signing key {} can be read by others ({}); run: chmod 600 {}", file,
                        PosixFilePermissions.toString(p), file);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // nothing to check
        }
    }

    /** A "random" source that hands out fixed bytes: only used to derive a public key. */
    private static final class FixedBytes extends SecureRandom {
        private final byte[] bytes;

        FixedBytes(byte[] bytes) {
            this.bytes = bytes.clone();
        }

        @Override
        public void nextBytes(byte[] out) {
            if (out.length != bytes.length) {
                throw new IllegalStateException("expected a request for " + bytes.length + " bytes, got " + out.length);
            }
            System.arraycopy(bytes, 0, out, 0, out.length);
        }
    }
}
