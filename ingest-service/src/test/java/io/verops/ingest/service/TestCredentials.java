package io.verops.ingest.service;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.verops.core.Json;
import io.verops.core.auth.ApiKeyTool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The service's credentials for a test: three API keys (given to the service as their SHA-256 only), and OIDC
 * bearer tokens signed here with an RSA key whose public half the service is given as {@code quarkus.oidc.public-key}:
 * no OIDC server is involved. The service also logs to a file of its own, {@link #logFile}, so that a test can
 * check what it logged, and that no credential is among it.
 */
public class TestCredentials implements QuarkusTestResourceLifecycleManager {
    /** Roles submitter and approver. */
    public static final String OPS_LEAD = "k-ops-lead-2c0d9f1e5a7b4c3d8e6f";
    /** Role reader only. */
    public static final String READER_BOT = "k-reader-bot-7a1b2c3d4e5f60718293";
    /** Role submitter only. */
    public static final String SUBMIT_BOT = "k-submit-bot-0f1e2d3c4b5a69788796";
    public static final String ISSUER = "https://issuer.verops.test";
    public static final String AUDIENCE = "verops";

    private static volatile PrivateKey signingKey;
    static volatile Path logFile;

    @Override
    public Map<String, String> start() {
        KeyPair pair;
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            pair = g.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        signingKey = pair.getPrivate();
        Map<String, String> config = new LinkedHashMap<>();
        key(config, "ops-lead", OPS_LEAD, "submitter,approver");
        key(config, "reader-bot", READER_BOT, "reader");
        key(config, "submit-bot", SUBMIT_BOT, "submitter");
        config.put("verops.auth.oidc.enabled", "true");
        config.put("verops.auth.oidc.roles.approver", "approver,change-board");
        config.put("quarkus.oidc.public-key", Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()));
        config.put("quarkus.oidc.token.issuer", ISSUER);
        config.put("quarkus.oidc.token.audience", AUDIENCE);
        logFile = Path.of("target/logs/service-" + System.nanoTime() + ".log").toAbsolutePath();
        config.put("quarkus.log.file.enabled", "true");
        config.put("quarkus.log.file.path", logFile.toString());
        config.put("quarkus.log.category.\"io.verops\".level", "DEBUG");
        config.put("quarkus.log.category.\"io.quarkus.security\".level", "DEBUG");
        config.put("quarkus.log.category.\"io.quarkus.vertx.http.runtime.security\".level", "DEBUG");
        return config;
    }

    private static void key(Map<String, String> config, String name, String key, String roles) {
        config.put("verops.auth.api-keys." + name + ".sha256", ApiKeyTool.sha256Hex(key));
        config.put("verops.auth.api-keys." + name + ".roles", roles);
    }

    @Override
    public void stop() {
    }

    /** A signed RS256 token for {@code user} whose {@code groups} claim holds {@code groups}, valid for five minutes. */
    public static String token(String user, List<String> groups) {
        return token(user, groups, signingKey, Instant.now().plusSeconds(300));
    }

    /** The private half of the key the service verifies tokens with. */
    public static PrivateKey signingKey() {
        return signingKey;
    }

    public static String token(String user, List<String> groups, PrivateKey key, Instant expires) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", ISSUER);
        claims.put("aud", AUDIENCE);
        claims.put("sub", "subject-of-" + user);
        claims.put("preferred_username", user);
        claims.put("groups", groups);
        claims.put("iat", Instant.now().getEpochSecond() - 5);
        claims.put("exp", expires.getEpochSecond());
        try {
            String signingInput = base64Url(Json.mapper().writeValueAsBytes(Map.of("alg", "RS256", "typ", "JWT")))
                    + "." + base64Url(Json.mapper().writeValueAsBytes(claims));
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(key);
            s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + base64Url(s.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
