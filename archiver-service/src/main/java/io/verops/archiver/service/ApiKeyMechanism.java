package io.verops.archiver.service;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.verops.core.auth.Authenticator;
import io.verops.core.auth.Caller;
import io.verops.core.auth.Refusals;
import io.verops.core.auth.Role;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import java.util.stream.Collectors;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Quarkus' side of verops authentication (docs/security.md); the decisions are {@link Authenticator}'s. As a
 * mechanism it lets in API keys and refuses what is missing or unknown; a bearer token shaped like a JWT that is no
 * API key is left to the OIDC mechanism, which runs after this one. As an augmentor it turns the role values of an
 * OIDC token into verops roles and names the caller {@code oidc:<user>}.
 */
@Singleton
public class ApiKeyMechanism implements HttpAuthenticationMechanism, SecurityIdentityAugmentor {
    /** The routing-context attribute where a refusal's reason waits for {@link AuthErrors}. */
    static final String REFUSAL = "verops.auth.refusal";

    private final Authenticator authenticator;

    public ApiKeyMechanism(ArchiverConfig config) {
        this.authenticator = new Authenticator(config.auth().settings());
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        HttpServerRequest r = context.request();
        Authenticator.Outcome outcome = authenticator.authenticate(r.getHeader(HttpHeaders.AUTHORIZATION),
                r.getHeader(Authenticator.API_KEY_HEADER), r.remoteAddress() == null ? null : r.remoteAddress().host());
        if (outcome instanceof Authenticator.Authenticated a) {
            return Uni.createFrom().item(identity(a.caller(), null));
        }
        if (outcome instanceof Authenticator.Refused refused) {
            context.put(REFUSAL, refused.reason());
            return Uni.createFrom().failure(new AuthenticationFailedException(refused.reason()));
        }
        context.put(REFUSAL, Refusals.TOKEN_REFUSED); // unless OIDC accepts the token
        return Uni.createFrom().nullItem();
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (!(identity.getPrincipal() instanceof JsonWebToken)) {
            return Uni.createFrom().item(identity);
        }
        Caller caller = Caller.oidc(identity.getPrincipal().getName(),
                authenticator.settings().rolesFromToken(identity.getRoles()));
        return Uni.createFrom().item(identity(caller, identity));
    }

    private static SecurityIdentity identity(Caller caller, SecurityIdentity from) {
        QuarkusSecurityIdentity.Builder b = QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(caller.name()))
                .addRoles(caller.roles().stream().map(Role::wire).collect(Collectors.toSet()));
        if (from != null) {
            b.addCredentials(from.getCredentials()).addAttributes(from.getAttributes());
        }
        return b.build();
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", Refusals.CHALLENGE));
    }

    /** Before the OIDC mechanism (DEFAULT_PRIORITY + 1), so that an API key never reaches the OIDC provider. */
    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 100;
    }
}
