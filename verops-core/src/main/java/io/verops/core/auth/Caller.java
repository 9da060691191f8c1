package io.verops.core.auth;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Who made a request, as the evidence records it, and what it may do. The name says how the caller was
 * authenticated: {@code api-key:ops-lead} for an API key, {@code oidc:alice} for an OIDC token (its
 * {@code upn}, {@code preferred_username} or {@code sub}).
 */
public record Caller(String name, Set<Role> roles) {
    public static final String API_KEY_PREFIX = "api-key:";
    public static final String OIDC_PREFIX = "oidc:";

    public Caller {
        Objects.requireNonNull(name, "name == null");
        roles = roles == null || roles.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(roles));
    }

    public static Caller apiKey(String keyName, Set<Role> roles) {
        return new Caller(API_KEY_PREFIX + keyName, roles);
    }

    public static Caller oidc(String subject, Set<Role> roles) {
        return new Caller(OIDC_PREFIX + subject, roles);
    }

    /** Anyone, when authentication is switched off ({@code verops.auth.enabled=false}): every role. */
    public static Caller unauthenticated(String remoteAddress) {
        return new Caller("unauthenticated HTTP caller at " + (remoteAddress == null ? "unknown" : remoteAddress),
                EnumSet.allOf(Role.class));
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    /** The caller in words, for messages: {@code api key 'ops-lead'}, {@code OIDC user 'alice'}. */
    public static String describe(String name) {
        if (name == null || name.isEmpty()) {
            return "an anonymous caller";
        }
        if (name.startsWith(API_KEY_PREFIX)) {
            return "api key '" + name.substring(API_KEY_PREFIX.length()) + "'";
        }
        if (name.startsWith(OIDC_PREFIX)) {
            return "OIDC user '" + name.substring(OIDC_PREFIX.length()) + "'";
        }
        return "'" + name + "'";
    }
}
