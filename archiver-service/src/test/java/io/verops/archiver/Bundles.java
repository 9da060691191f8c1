package io.verops.archiver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.verops.core.Json;
import io.verops.core.internal.Digests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Test helpers that change bundles the way a forger would. */
final class Bundles {
    private Bundles() {
    }

    static List<String> lines(Path file) throws IOException {
        return new ArrayList<>(List.of(Files.readString(file, StandardCharsets.UTF_8).split("\n")));
    }

    static void writeLines(Path file, List<String> lines) throws IOException {
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    static void flipByte(Path file, int index) throws IOException {
        byte[] b = Files.readAllBytes(file);
        b[index] = (byte) (b[index] ^ 0x01);
        Files.write(file, b);
    }

    static JsonNode predicate(Path bundle) throws IOException {
        return statement(bundle).path("predicate");
    }

    static JsonNode statement(Path bundle) throws IOException {
        JsonNode env = Json.mapper().readTree(bundle.resolve(Manifest.FILE).toFile());
        return Json.mapper().readTree(Base64.getDecoder().decode(env.path("payload").asText()));
    }

    /**
     * Re-seals a bundle after a change, as someone holding {@code key} could: the digests of the files as they are
     * now, the same predicate, signed anew; public-key.pem replaced by {@code key}'s.
     */
    static void reseal(Path bundle, SigningKey key) throws IOException {
        Files.writeString(bundle.resolve(Manifest.PUBLIC_KEY_FILE), key.publicKeyPem());
        ObjectNode predicate = (ObjectNode) predicate(bundle).deepCopy();
        Map<String, String> subjects = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(bundle)) {
            for (Path f : files.sorted().toList()) {
                if (!f.getFileName().toString().equals(Manifest.FILE)) {
                    subjects.put(f.getFileName().toString(), Digests.sha256Hex(f));
                }
            }
        }
        Files.writeString(bundle.resolve(Manifest.FILE), Json.pretty(Manifest.envelope(Manifest.statement(subjects, predicate), key)));
    }
}
