package io.verops.archiver.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The archiver service's settings; docs/services.md lists them. */
@ConfigMapping(prefix = "verops")
public interface ArchiverConfig {
    /** The verops home. */
    @WithDefault(".")
    Path home();

    /** The operation definitions (their digests go into each bundle's provenance). */
    @WithDefault("${verops.home}/operations")
    Path operationsDir();

    KafkaConfig kafka();

    AuthConfig auth();

    Keys keys();

    Signing signing();

    Archiver archiver();

    /** {@code verops.archiver.*}. */
    interface Archiver {
        /** Where evidence bundles are written: {@code <reports-dir>/<operation>/<batch-id>/}. */
        @WithDefault("${verops.home}/reports")
        Path reportsDir();
    }

    /** {@code verops.keys.*}: the key folder, as for the verops command. */
    interface Keys {
        /** Where the Ed25519 key pair lives; created there on first use unless a key is supplied. */
        @WithDefault("${verops.home}/var/keys")
        Path dir();
    }

    /** {@code verops.signing.*}: a deployment's own signing key, as for the verops command. */
    interface Signing {
        /** An Ed25519 PKCS#8 PEM private key; when set, the key folder is not used. */
        Optional<Path> key();
    }

    /** Every problem of the configuration, each naming the key and the fix. */
    default List<String> problems() {
        List<String> problems = new ArrayList<>(kafka().problems());
        problems.addAll(auth().settings().problems());
        Path reports = archiver().reportsDir().toAbsolutePath().normalize();
        if (Files.exists(reports) && !Files.isDirectory(reports)) {
            problems.add("verops.archiver.reports-dir: " + reports + " is a file, not a folder");
        }
        if (!Files.isDirectory(operationsDir())) {
            problems.add("verops.operations-dir: " + operationsDir().toAbsolutePath().normalize()
                    + " is not a folder (set verops.home to the folder holding operations/, or verops.operations-dir)");
        }
        signing().key().filter(k -> !Files.isRegularFile(k)).ifPresent(k -> problems.add("verops.signing.key: "
                + k.toAbsolutePath().normalize() + " is not a file (an Ed25519 PKCS#8 PEM private key)"));
        return problems;
    }
}
