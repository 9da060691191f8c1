package io.verops.core.auth;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The {@code verops.auth.*} settings of a service's HTTP API, checked: the API keys (name, SHA-256, roles), whether
 * OIDC bearer tokens are accepted and which of their role values grant which verops role, and whether
 * authentication is on at all. {@link #problems()} lists every mistake at once, each naming its key and the fix;
 * none of them repeats a configured digest.
 */
public final class AuthSettings {
    public static final String PREFIX = "verops.auth.";
    private static final Pattern KEY_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final Pattern HEX_64 = Pattern.compile("[0-9A-Fa-f]{64}");
    private static final String HASH_HOW = "printf %s \"$KEY\" | sha256sum";

    /** One {@code verops.auth.api-keys.<name>.*} entry as configured: either value may be missing. */
    public record KeyEntry(String sha256, List<String> roles) {
        public KeyEntry {
            roles = roles == null ? List.of() : List.copyOf(roles);
        }

        @Override
        public String toString() {
            return "KeyEntry[roles=" + roles + "]";
        }
    }

    private final boolean enabled;
    private final List<ApiKey> keys;
    private final boolean oidc;
    private final Map<Role, Set<String>> oidcRoles;
    private final List<String> problems;

    private AuthSettings(boolean enabled, List<ApiKey> keys, boolean oidc, Map<Role, Set<String>> oidcRoles,
                         List<String> problems) {
        this.enabled = enabled;
        this.keys = List.copyOf(keys);
        this.oidc = oidc;
        this.oidcRoles = Collections.unmodifiableMap(oidcRoles);
        this.problems = List.copyOf(problems);
    }

    /**
     * Reads the configured values. Never throws on a bad value: the entry is left out and the mistake is in
     * {@link #problems()}, which the service reports (with every other problem of its configuration) before it
     * refuses to start.
     *
     * @param apiKeys   {@code verops.auth.api-keys.<name>.sha256} and {@code .roles}, by name
     * @param oidcRoles {@code verops.auth.oidc.roles.<role>}: the token role values that grant each verops role
     */
    public static AuthSettings of(boolean enabled, Map<String, KeyEntry> apiKeys, boolean oidc,
                                  Map<Role, ? extends Collection<String>> oidcRoles) {
        List<String> problems = new ArrayList<>();
        List<ApiKey> keys = new ArrayList<>();
        for (Map.Entry<String, KeyEntry> e : new TreeMap<>(apiKeys == null ? Map.of() : apiKeys).entrySet()) {
            String name = e.getKey();
            String key = PREFIX + "api-keys." + name;
            if (!KEY_NAME.matcher(name).matches()) {
                problems.add(key + ": the name must be 1 to 64 letters, digits, '-' or '_', starting with a letter or"
                        + " digit (it becomes the caller's name, api-key:<name>)");
                continue;
            }
            byte[] digest = digest(key + ".sha256", e.getValue().sha256(), problems);
            Set<Role> roles = roles(key + ".roles", e.getValue().roles(), problems);
            if (digest == null || roles == null) {
                continue;
            }
            ApiKey k = new ApiKey(name, digest, roles);
            keys.stream().filter(k::sameDigest).findFirst().ifPresent(other -> problems.add(key + ".sha256: the same"
                    + " key as " + PREFIX + "api-keys." + other.name() + ".sha256; give each client a key of its own"));
            keys.add(k);
        }
        Map<Role, Set<String>> mapping = new EnumMap<>(Role.class);
        for (Role role : Role.values()) {
            Collection<String> values = oidcRoles == null ? null : oidcRoles.get(role);
            Set<String> set = new LinkedHashSet<>();
            if (values != null) {
                values.stream().map(String::strip).filter(v -> !v.isEmpty()).forEach(set::add);
            }
            mapping.put(role, Collections.unmodifiableSet(set));
        }
        return new AuthSettings(enabled, keys, oidc, mapping, problems);
    }

    private static byte[] digest(String key, String value, List<String> problems) {
        if (value == null || value.isBlank()) {
            problems.add(key + ": missing; set it to the SHA-256 of the key as 64 hex digits (" + HASH_HOW + ")");
            return null;
        }
        String v = value.strip();
        if (!HEX_64.matcher(v).matches()) {
            // The value is not repeated: it may be the key itself, pasted by mistake.
            problems.add(key + ": not a SHA-256 as 64 hex digits (found " + v.length() + " characters); set the"
                    + " digest of the key, never the key itself (" + HASH_HOW + ")");
            return null;
        }
        return HexFormat.of().parseHex(v.toLowerCase(Locale.ROOT));
    }

    private static Set<Role> roles(String key, List<String> values, List<String> problems) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        boolean ok = true;
        for (String v : values) {
            if (v == null || v.isBlank()) {
                continue;
            }
            var role = Role.fromWire(v);
            if (role.isEmpty()) {
                problems.add(key + ": '" + v.strip() + "' is not a role (one or more of " + Role.known() + ")");
                ok = false;
            } else {
                roles.add(role.get());
            }
        }
        if (ok && roles.isEmpty()) {
            problems.add(key + ": missing; set one or more of " + Role.known() + ", comma-separated");
            ok = false;
        }
        return ok ? roles : null;
    }

    /** {@code verops.auth.enabled}: false only for local development, when anyone may do anything. */
    public boolean enabled() {
        return enabled;
    }

    public List<ApiKey> keys() {
        return keys;
    }

    /** {@code verops.auth.oidc.enabled}: bearer tokens of an OIDC provider are accepted too. */
    public boolean oidc() {
        return oidc;
    }

    /** Whether anything can authenticate a caller: an API key or OIDC. */
    public boolean configured() {
        return !keys.isEmpty() || oidc;
    }

    /** The verops roles that a token's role values (its {@code groups}, say) grant. */
    public Set<Role> rolesFromToken(Collection<String> tokenRoles) {
        Set<Role> granted = EnumSet.noneOf(Role.class);
        if (tokenRoles != null) {
            oidcRoles.forEach((role, values) -> {
                if (tokenRoles.stream().anyMatch(values::contains)) {
                    granted.add(role);
                }
            });
        }
        return granted;
    }

    public Map<Role, Set<String>> oidcRoles() {
        return oidcRoles;
    }

    /** Every mistake in the settings, each naming its key and the fix; empty when they are sound. */
    public List<String> problems() {
        return problems;
    }

    /** What to warn about at start: no authentication, or nothing that could authenticate anyone. */
    public List<String> warnings() {
        if (!enabled) {
            return List.of("verops.auth.enabled=false: the HTTP API is open to anyone who can reach it, with every"
                    + " role; for local development only");
        }
        if (!configured()) {
            return List.of("no API keys and no OIDC configured: every call to the HTTP API is refused with 401; set"
                    + " verops.auth.api-keys.<name>.sha256 and .roles, or verops.auth.oidc.enabled=true"
                    + " (see docs/security.md)");
        }
        return List.of();
    }

    /** One line for the start-up log: the key names and their roles, never a digest. */
    public String summary() {
        if (!enabled) {
            return "authentication off";
        }
        String k = keys.isEmpty() ? "no API keys" : keys.size() + " API key" + (keys.size() == 1 ? "" : "s") + " ("
                + keys.stream().map(x -> x.name() + ": " + x.roles().stream().map(Role::wire)
                .collect(Collectors.joining("+"))).collect(Collectors.joining(", ")) + ")";
        return "authentication: " + k + "; OIDC bearer tokens " + (oidc ? "on" : "off");
    }
}
