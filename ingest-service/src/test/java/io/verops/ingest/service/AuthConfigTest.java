package io.verops.ingest.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.verops.core.auth.ApiKey;
import io.verops.core.auth.ApiKeyTool;
import io.verops.core.auth.AuthSettings;
import io.verops.core.auth.Role;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How verops.auth.* reads from the places an operator puts it: a file, system properties, the environment. */
class AuthConfigTest {
    private static final String DIGEST = ApiKeyTool.sha256Hex("k-env-key");

    private static AuthSettings settings(Map<String, String> env, Map<String, String> file) {
        return new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(env, 300), new PropertiesConfigSource(file, "application.properties", 250))
                .withMapping(IngestConfig.class).withValidateUnknown(false).build()
                .getConfigMapping(IngestConfig.class).auth().settings();
    }

    @Test
    void byDefaultAuthenticationIsOnWithNoKeysAndNoOidc() {
        AuthSettings s = settings(Map.of(), Map.of());
        assertThat(s.enabled()).isTrue();
        assertThat(s.keys()).isEmpty();
        assertThat(s.oidc()).isFalse();
        assertThat(s.oidcRoles()).containsEntry(Role.APPROVER, java.util.Set.of("approver"));
    }

    @Test
    void aKeyIsReadFromEnvironmentVariablesAloneWhenItsNameIsOneWord() {
        AuthSettings s = settings(Map.of("VEROPS_AUTH_API_KEYS_OPSLEAD_SHA256", DIGEST,
                "VEROPS_AUTH_API_KEYS_OPSLEAD_ROLES", "submitter,approver"), Map.of());
        assertThat(s.problems()).isEmpty();
        assertThat(s.keys()).singleElement().satisfies(k -> {
            assertThat(k.name()).isEqualTo("opslead");
            assertThat(k.roles()).containsExactly(Role.SUBMITTER, Role.APPROVER);
        });
    }

    @Test
    void aNameWithADashIsDeclaredInTheFileAndItsDigestMayComeFromTheEnvironment() {
        AuthSettings s = settings(Map.of("VEROPS_AUTH_API_KEYS_OPS_LEAD_SHA256", DIGEST),
                Map.of("verops.auth.api-keys.ops-lead.roles", "approver"));
        assertThat(s.problems()).isEmpty();
        assertThat(s.keys()).extracting(ApiKey::name).containsExactly("ops-lead");
    }

    @Test
    void oidcIsSwitchedOnAndItsRoleValuesMappedFromTheEnvironment() {
        AuthSettings s = settings(Map.of("VEROPS_AUTH_OIDC_ENABLED", "true",
                "VEROPS_AUTH_OIDC_ROLES_APPROVER", "ops-leads,change-board"), Map.of());
        assertThat(s.oidc()).isTrue();
        assertThat(s.rolesFromToken(List.of("change-board"))).containsExactly(Role.APPROVER);
    }

    @Test
    void aBadEntryIsAProblemOfTheServicesConfiguration() {
        assertThat(new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(Map.of("verops.auth.api-keys.ops-lead.sha256", "k-oops",
                        "verops.auth.api-keys.ops-lead.roles", "approver"), "application.properties", 250))
                .withMapping(IngestConfig.class).withValidateUnknown(false).build()
                .getConfigMapping(IngestConfig.class).problems())
                .anySatisfy(p -> assertThat(p).startsWith("verops.auth.api-keys.ops-lead.sha256: not a SHA-256"));
    }
}
