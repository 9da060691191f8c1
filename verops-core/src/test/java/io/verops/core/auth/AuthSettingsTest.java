package io.verops.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthSettingsTest {
    private static final String DIGEST = ApiKeyTool.sha256Hex("k-one");

    private static AuthSettings.KeyEntry entry(String sha256, String... roles) {
        return new AuthSettings.KeyEntry(sha256, List.of(roles));
    }

    @Test
    void soundKeysHaveNoProblemsAndTheSummaryNamesThemWithoutTheirDigests() {
        AuthSettings s = AuthSettings.of(true, Map.of("ops-lead", entry(DIGEST, "submitter", " approver")), true, Map.of());
        assertThat(s.problems()).isEmpty();
        assertThat(s.warnings()).isEmpty();
        assertThat(s.keys()).singleElement().satisfies(k -> {
            assertThat(k.name()).isEqualTo("ops-lead");
            assertThat(k.roles()).containsExactly(Role.SUBMITTER, Role.APPROVER);
            assertThat(k.toString()).doesNotContain(DIGEST);
        });
        assertThat(s.summary()).isEqualTo("authentication: 1 API key (ops-lead: submitter+approver); OIDC bearer tokens on")
                .doesNotContain(DIGEST);
    }

    @Test
    void everyProblemIsListedAtOnceNamingItsKeyAndNeverRepeatingTheValue() {
        AuthSettings s = AuthSettings.of(true, Map.of(
                "pasted", entry("k-the-raw-key-itself", "reader"),
                "no-hash", entry(null, "reader"),
                "no-roles", entry(DIGEST.replace('a', 'b')),
                "bad-role", entry(ApiKeyTool.sha256Hex("k-two"), "reader", "admin"),
                "copy", entry(DIGEST.toUpperCase(), "reader"),
                "bad.name", entry(ApiKeyTool.sha256Hex("k-three"), "reader"),
                "ops-lead", entry(DIGEST, "approver")), false, Map.of());
        assertThat(s.problems()).containsExactlyInAnyOrder(
                "verops.auth.api-keys.bad-role.roles: 'admin' is not a role (one or more of submitter, approver, reader)",
                "verops.auth.api-keys.bad.name: the name must be 1 to 64 letters, digits, '-' or '_', starting with a"
                        + " letter or digit (it becomes the caller's name, api-key:<name>)",
                "verops.auth.api-keys.no-hash.sha256: missing; set it to the SHA-256 of the key as 64 hex digits"
                        + " (printf %s \"$KEY\" | sha256sum)",
                "verops.auth.api-keys.no-roles.roles: missing; set one or more of submitter, approver, reader,"
                        + " comma-separated",
                "verops.auth.api-keys.ops-lead.sha256: the same key as verops.auth.api-keys.copy.sha256; give each"
                        + " client a key of its own",
                "verops.auth.api-keys.pasted.sha256: not a SHA-256 as 64 hex digits (found 20 characters); set the"
                        + " digest of the key, never the key itself (printf %s \"$KEY\" | sha256sum)");
        assertThat(String.join("\n", s.problems())).doesNotContain("k-the-raw-key-itself").doesNotContain(DIGEST);
    }

    @Test
    void nothingConfiguredOrAuthenticationOffIsWarnedAbout() {
        assertThat(AuthSettings.of(true, Map.of(), false, Map.of()).warnings()).singleElement().asString()
                .startsWith("no API keys and no OIDC configured: every call to the HTTP API is refused with 401");
        assertThat(AuthSettings.of(true, Map.of(), true, Map.of()).warnings()).isEmpty();
        assertThat(AuthSettings.of(false, Map.of(), false, Map.of()).warnings()).singleElement().asString()
                .startsWith("verops.auth.enabled=false: the HTTP API is open to anyone");
    }

    @Test
    void tokenRoleValuesGrantTheVeropsRolesTheyAreMappedTo() {
        AuthSettings s = AuthSettings.of(true, Map.of(), true, Map.of(
                Role.SUBMITTER, List.of("submitter"), Role.APPROVER, List.of("change-board", " ops-leads "),
                Role.READER, List.of("reader", "auditors")));
        assertThat(s.rolesFromToken(List.of("ops-leads", "staff"))).containsExactly(Role.APPROVER);
        assertThat(s.rolesFromToken(List.of("auditors", "submitter"))).isEqualTo(EnumSet.of(Role.SUBMITTER, Role.READER));
        assertThat(s.rolesFromToken(List.of("approver"))).as("only the mapped values count").isEmpty();
        assertThat(s.rolesFromToken(null)).isEmpty();
    }

    @Test
    void roleNameConstantsAreTheWireNames() {
        assertThat(List.of(Role.Names.SUBMITTER, Role.Names.APPROVER, Role.Names.READER))
                .containsExactly(Role.SUBMITTER.wire(), Role.APPROVER.wire(), Role.READER.wire());
    }
}
