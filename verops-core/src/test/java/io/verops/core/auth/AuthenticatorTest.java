package io.verops.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthenticatorTest {
    private static final String OPS_LEAD_KEY = "k-ops-lead-secret";
    private static final String READER_KEY = "k-reader-secret";
    private static final String JWT_SHAPED = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl";

    private static AuthSettings settings(boolean oidc) {
        return AuthSettings.of(true, Map.of(
                "ops-lead", new AuthSettings.KeyEntry(ApiKeyTool.sha256Hex(OPS_LEAD_KEY), List.of("submitter", "approver")),
                "reader-bot", new AuthSettings.KeyEntry(ApiKeyTool.sha256Hex(READER_KEY).toUpperCase(), List.of("reader"))),
                oidc, Map.of());
    }

    private static Authenticator.Outcome auth(boolean oidc, String authorization, String apiKey) {
        return new Authenticator(settings(oidc)).authenticate(authorization, apiKey, "10.0.0.7");
    }

    @Test
    void aConfiguredKeyAsBearerTokenIsItsCallerWithItsRoles() {
        assertThat(auth(false, "Bearer " + OPS_LEAD_KEY, null)).isEqualTo(new Authenticator.Authenticated(
                new Caller("api-key:ops-lead", java.util.EnumSet.of(Role.SUBMITTER, Role.APPROVER))));
        assertThat(auth(false, "bearer   " + READER_KEY + " ", null))
                .isEqualTo(new Authenticator.Authenticated(Caller.apiKey("reader-bot", java.util.Set.of(Role.READER))));
    }

    @Test
    void theXApiKeyHeaderIsAcceptedAndWinsOverAuthorization() {
        assertThat(auth(false, "Bearer " + OPS_LEAD_KEY, READER_KEY)).isEqualTo(
                new Authenticator.Authenticated(Caller.apiKey("reader-bot", java.util.Set.of(Role.READER))));
    }

    @Test
    void missingCredentialsAreRefusedSayingWhatToSend() {
        assertThat(auth(false, null, null)).isEqualTo(new Authenticator.Refused(
                "authentication required: send Authorization: Bearer <api key> (or X-API-Key: <api key>)"));
        assertThat(auth(false, "Bearer ", null)).isEqualTo(new Authenticator.Refused(Refusals.missing(false)));
        assertThat(auth(false, null, " ")).isEqualTo(new Authenticator.Refused(Refusals.missing(false)));
        assertThat(auth(true, null, null)).isEqualTo(new Authenticator.Refused(Refusals.missing(true)));
    }

    @Test
    void anUnknownKeyIsRefusedWithoutRepeatingIt() {
        Authenticator.Outcome o = auth(false, "Bearer k-guess", null);
        assertThat(o).isEqualTo(new Authenticator.Refused(Refusals.unknownKey()));
        assertThat(((Authenticator.Refused) o).reason()).doesNotContain("k-guess");
        assertThat(auth(false, null, OPS_LEAD_KEY + "x")).isEqualTo(new Authenticator.Refused(Refusals.unknownKey()));
    }

    @Test
    void anotherSchemeOrABareKeyIsRefusedWithoutRepeatingIt() {
        Authenticator.Outcome basic = auth(false, "Basic b3BzOnNlY3JldA==", null);
        Authenticator.Outcome bare = auth(false, OPS_LEAD_KEY, null);
        assertThat(basic).isEqualTo(new Authenticator.Refused(Refusals.notBearer(false)));
        assertThat(bare).isEqualTo(basic);
        assertThat(((Authenticator.Refused) bare).reason()).doesNotContain(OPS_LEAD_KEY);
    }

    @Test
    void aJwtShapedTokenThatIsNoKeyGoesToOidcOnlyWhenOidcIsOn() {
        assertThat(auth(true, "Bearer " + JWT_SHAPED, null)).isEqualTo(new Authenticator.ForOidc());
        assertThat(auth(false, "Bearer " + JWT_SHAPED, null)).isEqualTo(new Authenticator.Refused(Refusals.unknownKey()));
        assertThat(auth(true, "Bearer k-guess", null)).as("a mistyped key never goes to the OIDC provider")
                .isEqualTo(new Authenticator.Refused(Refusals.unknownKey()));
        assertThat(auth(true, null, JWT_SHAPED)).as("X-API-Key holds keys only")
                .isEqualTo(new Authenticator.Refused(Refusals.unknownKey()));
    }

    @Test
    void withNothingConfiguredEveryoneIsRefusedSayingSo() {
        Authenticator none = new Authenticator(AuthSettings.of(true, Map.of(), false, Map.of()));
        assertThat(none.authenticate("Bearer " + OPS_LEAD_KEY, null, "10.0.0.7"))
                .isEqualTo(new Authenticator.Refused(Refusals.NOT_CONFIGURED));
        assertThat(Refusals.NOT_CONFIGURED).contains("verops.auth.api-keys.<name>.sha256", "verops.auth.oidc.enabled=true");
    }

    @Test
    void withAuthenticationOffAnyoneIsLetInWithEveryRoleAndNamedByAddress() {
        Authenticator off = new Authenticator(AuthSettings.of(false, Map.of(), false, Map.of()));
        assertThat(off.authenticate(null, null, "10.0.0.7")).isEqualTo(new Authenticator.Authenticated(
                new Caller("unauthenticated HTTP caller at 10.0.0.7", java.util.EnumSet.allOf(Role.class))));
    }

    @Test
    void jwtShapeIsThreeBase64UrlParts() {
        assertThat(Authenticator.looksLikeJwt(JWT_SHAPED)).isTrue();
        assertThat(Authenticator.looksLikeJwt("a.b")).isFalse();
        assertThat(Authenticator.looksLikeJwt("a.b.c.d")).isFalse();
        assertThat(Authenticator.looksLikeJwt("a.b c.d")).isFalse();
        assertThat(Authenticator.looksLikeJwt("k-ops_lead-1")).isFalse();
    }

    @Test
    void aForbiddenCallNamesTheCallerTheRoleAndWhatItHas() {
        assertThat(Refusals.lacksRole("api-key:reader-bot", List.of("approver"), List.of("reader")))
                .isEqualTo("api key 'reader-bot' lacks role approver (it has: reader)");
        assertThat(Refusals.lacksRole("oidc:alice", List.of("submitter"), List.of()))
                .isEqualTo("OIDC user 'alice' lacks role submitter (it has: none)");
    }
}
