package io.verops.archiver.service;

import io.smallrye.config.WithDefault;
import io.verops.core.auth.AuthSettings;
import io.verops.core.auth.Role;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** {@code verops.auth.*}: who may call the HTTP API (the same keys in every verops service); docs/security.md. */
public interface AuthConfig {
    /** Off for local development only: then anyone who reaches the API may do anything. */
    @WithDefault("true")
    boolean enabled();

    /** {@code verops.auth.api-keys.<name>.sha256} and {@code .roles}. */
    Map<String, ApiKey> apiKeys();

    Oidc oidc();

    /** One API key: the SHA-256 of the key (never the key) and its roles. */
    interface ApiKey {
        Optional<String> sha256();

        Optional<List<String>> roles();
    }

    /** {@code verops.auth.oidc.*}; the provider itself is configured with {@code quarkus.oidc.*}. */
    interface Oidc {
        /** Accept OIDC bearer tokens (sets {@code quarkus.oidc.tenant-enabled}). */
        @WithDefault("false")
        boolean enabled();

        Roles roles();

        /** The values of the token's role claim that grant each verops role. */
        interface Roles {
            @WithDefault(Role.Names.SUBMITTER)
            List<String> submitter();

            @WithDefault(Role.Names.APPROVER)
            List<String> approver();

            @WithDefault(Role.Names.READER)
            List<String> reader();
        }
    }

    default AuthSettings settings() {
        Map<String, AuthSettings.KeyEntry> keys = new TreeMap<>();
        apiKeys().forEach((name, k) -> keys.put(name, new AuthSettings.KeyEntry(k.sha256().orElse(null),
                k.roles().orElse(List.of()))));
        Oidc.Roles r = oidc().roles();
        return AuthSettings.of(enabled(), keys, oidc().enabled(),
                Map.of(Role.SUBMITTER, r.submitter(), Role.APPROVER, r.approver(), Role.READER, r.reader()));
    }
}
