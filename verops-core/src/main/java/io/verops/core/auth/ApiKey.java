package io.verops.core.auth;

import java.security.MessageDigest;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A configured API key: its name, the SHA-256 of the key (the key itself is never configured) and its roles. The
 * digest stays inside: {@link #toString()} shows only the name and roles.
 */
public final class ApiKey {
    private final String name;
    private final byte[] sha256;
    private final Set<Role> roles;

    ApiKey(String name, byte[] sha256, Set<Role> roles) {
        this.name = Objects.requireNonNull(name, "name == null");
        this.sha256 = Objects.requireNonNull(sha256, "sha256 == null").clone();
        this.roles = Collections.unmodifiableSet(EnumSet.copyOf(roles));
    }

    public String name() {
        return name;
    }

    public Set<Role> roles() {
        return roles;
    }

    /** In constant time, whatever the digests hold. */
    boolean matches(byte[] digest) {
        return MessageDigest.isEqual(sha256, digest);
    }

    boolean sameDigest(ApiKey other) {
        return MessageDigest.isEqual(sha256, other.sha256);
    }

    public Caller caller() {
        return Caller.apiKey(name, roles);
    }

    @Override
    public String toString() {
        return "api key '" + name + "' " + roles;
    }
}
