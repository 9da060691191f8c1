package io.verops.core.auth;

import io.verops.core.internal.Digests;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Decides who a request comes from, from its {@code Authorization} and {@code X-API-Key} headers: an API key
 * (its SHA-256 compared in constant time with every configured digest), a bearer token for the OIDC layer to
 * verify, or a refusal with the reason to answer (401).
 */
public final class Authenticator {
    public static final String API_KEY_HEADER = "X-API-Key";
    private static final String BEARER = "bearer";

    /** What a request's credentials come to. */
    public sealed interface Outcome permits Authenticated, ForOidc, Refused {
    }

    /** A configured API key, or anyone when authentication is off. */
    public record Authenticated(Caller caller) implements Outcome {
    }

    /** A bearer token in the shape of a JWT that is no API key: the OIDC layer verifies it. */
    public record ForOidc() implements Outcome {
    }

    /** 401, with the reason to answer and log; it never holds what the caller sent. */
    public record Refused(String reason) implements Outcome {
    }

    private final AuthSettings settings;

    public Authenticator(AuthSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings == null");
    }

    public AuthSettings settings() {
        return settings;
    }

    /**
     * @param authorization the {@code Authorization} header, or null
     * @param apiKeyHeader  the {@code X-API-Key} header, or null; when present it is the credential
     * @param remoteAddress the caller's address, named as the caller when authentication is off
     */
    public Outcome authenticate(String authorization, String apiKeyHeader, String remoteAddress) {
        if (!settings.enabled()) {
            return new Authenticated(Caller.unauthenticated(remoteAddress));
        }
        if (!settings.configured()) {
            return new Refused(Refusals.NOT_CONFIGURED);
        }
        if (apiKeyHeader != null) {
            return apiKeyHeader.isBlank() ? new Refused(Refusals.missing(settings.oidc())) : byKey(apiKeyHeader.strip(), false);
        }
        if (authorization == null || authorization.isBlank()) {
            return new Refused(Refusals.missing(settings.oidc()));
        }
        String header = authorization.strip();
        if (header.equalsIgnoreCase(BEARER)) {
            return new Refused(Refusals.missing(settings.oidc()));
        }
        int space = header.indexOf(' ');
        if (space < 0 || !header.substring(0, space).equalsIgnoreCase(BEARER)) {
            return new Refused(Refusals.notBearer(settings.oidc()));
        }
        String token = header.substring(space + 1).strip();
        if (token.isEmpty()) {
            return new Refused(Refusals.missing(settings.oidc()));
        }
        return byKey(token, settings.oidc() && looksLikeJwt(token));
    }

    private Outcome byKey(String presented, boolean mayBeOidc) {
        byte[] digest = Digests.sha256().digest(presented.getBytes(StandardCharsets.UTF_8));
        ApiKey found = null;
        for (ApiKey k : settings.keys()) {
            // Every digest is compared, so the time taken does not say which key came close.
            if (k.matches(digest) && found == null) {
                found = k;
            }
        }
        if (found != null) {
            return new Authenticated(found.caller());
        }
        return mayBeOidc ? new ForOidc() : new Refused(Refusals.unknownKey());
    }

    /**
     * Three base64url parts separated by dots. Only such a token goes on to OIDC, so that a mistyped API key is never
     * sent to the provider's introspection endpoint.
     */
    static boolean looksLikeJwt(String token) {
        int parts = 1;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '.') {
                parts++;
            } else if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        return parts == 3;
    }
}
