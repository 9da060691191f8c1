package io.verops.archiver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.verops.archiver.internal.Dsse;
import io.verops.core.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;

/**
 * manifest.json: an in-toto Statement v1 whose subjects are the bundle's files with their SHA-256 digests and
 * whose predicate is the provenance of the run, in a DSSE envelope signed with Ed25519.
 */
public final class Manifest {
    public static final String FILE = "manifest.json";
    public static final String PUBLIC_KEY_FILE = "public-key.pem";
    public static final String STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
    public static final String PREDICATE_TYPE = "https://verops.dev/evidence-bundle/provenance/v1";
    public static final String PAYLOAD_TYPE = "application/vnd.in-toto+json";

    private Manifest() {
    }

    /** The statement: {@code subjects} maps file name to hex SHA-256, in the order given. */
    public static ObjectNode statement(Map<String, String> subjects, JsonNode predicate) {
        Objects.requireNonNull(predicate, "predicate == null");
        ObjectNode st = Json.mapper().createObjectNode();
        st.put("_type", STATEMENT_TYPE);
        ArrayNode subject = st.putArray("subject");
        subjects.forEach((name, sha) -> {
            ObjectNode s = subject.addObject();
            s.put("name", name);
            s.putObject("digest").put("sha256", sha);
        });
        st.put("predicateType", PREDICATE_TYPE);
        st.set("predicate", predicate);
        return st;
    }

    /** The DSSE envelope of a statement, signed by {@code key} over PAE(payloadType, payload). */
    public static ObjectNode envelope(JsonNode statement, SigningKey key) {
        byte[] payload = Json.write(statement).getBytes(StandardCharsets.UTF_8);
        return envelope(PAYLOAD_TYPE, payload, key);
    }

    /** A DSSE envelope of any payload (tests sign tampered statements with it). */
    public static ObjectNode envelope(String payloadType, byte[] payload, SigningKey key) {
        byte[] sig = key.sign(Dsse.pae(payloadType, payload));
        ObjectNode env = Json.mapper().createObjectNode();
        env.put("payloadType", payloadType);
        env.put("payload", Base64.getEncoder().encodeToString(payload));
        ObjectNode s = env.putArray("signatures").addObject();
        s.put("keyid", key.keyId());
        s.put("sig", Base64.getEncoder().encodeToString(sig));
        return env;
    }
}
