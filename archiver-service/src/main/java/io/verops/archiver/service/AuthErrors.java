package io.verops.archiver.service;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.verops.core.auth.Refusals;
import io.verops.core.auth.Role;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.security.Principal;
import java.util.Arrays;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** 401 and 403 as JSON errors, each logged at WARN with the method, the path, the caller if known and the reason. */
public class AuthErrors {
    private static final Logger LOG = LoggerFactory.getLogger(AuthErrors.class);

    @ServerExceptionMapper({AuthenticationFailedException.class, UnauthorizedException.class})
    public Response unauthenticated(SecurityException e, RoutingContext context) {
        String reason = context.get(ApiKeyMechanism.REFUSAL);
        if (reason == null) {
            reason = e instanceof AuthenticationFailedException ? Refusals.TOKEN_REFUSED : Refusals.missing(false);
        }
        LOG.warn("refused {} {}: 401 {}", context.request().method(), context.request().path(), reason);
        return Response.status(Response.Status.UNAUTHORIZED).header("WWW-Authenticate", Refusals.CHALLENGE)
                .type(MediaType.APPLICATION_JSON_TYPE).entity(ErrorBody.of(reason)).build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, RoutingContext context, ContainerRequestContext request,
                              ResourceInfo resource) {
        Principal p = request.getSecurityContext().getUserPrincipal();
        String name = p == null ? null : p.getName();
        List<String> held = Arrays.stream(Role.values()).map(Role::wire)
                .filter(r -> request.getSecurityContext().isUserInRole(r)).toList();
        String reason = Refusals.lacksRole(name, required(resource), held);
        LOG.warn("refused {} {} for {}: 403 {}", context.request().method(), context.request().path(), name, reason);
        return Response.status(Response.Status.FORBIDDEN).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ErrorBody.of(reason)).build();
    }

    private static List<String> required(ResourceInfo resource) {
        RolesAllowed allowed = resource.getResourceMethod().getAnnotation(RolesAllowed.class);
        if (allowed == null) {
            allowed = resource.getResourceClass().getAnnotation(RolesAllowed.class);
        }
        return allowed == null ? List.of("(none: the endpoint is closed)") : List.of(allowed.value());
    }
}
