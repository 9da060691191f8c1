package io.verops.core.auth;

import java.util.Collection;
import java.util.List;

/**
 * The words of the 401 and 403 answers. None of them repeats what the caller sent: a credential, or a key pasted
 * where a scheme was expected, never reaches an answer or a log.
 */
public final class Refusals {
    /** The {@code WWW-Authenticate} header of every 401. */
    public static final String CHALLENGE = "Bearer realm=\"verops\"";

    /** Authentication is on, but neither an API key nor OIDC is configured: nobody can be let in. */
    public static final String NOT_CONFIGURED = "authentication required, but no credentials are configured on this"
            + " service: set verops.auth.api-keys.<name>.sha256 and verops.auth.api-keys.<name>.roles, or"
            + " verops.auth.oidc.enabled=true (see docs/security.md)";

    /** A bearer token that neither matched an API key nor passed as an OIDC token. */
    public static final String TOKEN_REFUSED = "authentication failed: the bearer token is neither a configured api"
            + " key nor a valid OIDC token for this service";

    private Refusals() {
    }

    /** No credentials at all. */
    public static String missing(boolean oidc) {
        return "authentication required: send Authorization: Bearer <api key" + (oidc ? " or OIDC token>" : ">")
                + " (or X-API-Key: <api key>)";
    }

    /** An {@code Authorization} header of another scheme (Basic, or a bare value). */
    public static String notBearer(boolean oidc) {
        return "authentication required: the Authorization header is not 'Bearer <token>'; send Authorization:"
                + " Bearer <api key" + (oidc ? " or OIDC token>" : ">");
    }

    /** A key that matches none of the configured ones. */
    public static String unknownKey() {
        return "authentication failed: the api key is not one configured on this service (verops.auth.api-keys)";
    }

    /** The 403: {@code api key 'reader-bot' lacks role approver (it has: reader)}. */
    public static String lacksRole(String callerName, Collection<String> required, Collection<String> held) {
        List<String> has = held == null ? List.of() : held.stream().sorted().toList();
        return Caller.describe(callerName) + " lacks role " + String.join(" or ", required) + " (it has: "
                + (has.isEmpty() ? "none" : String.join(", ", has)) + ")";
    }
}
