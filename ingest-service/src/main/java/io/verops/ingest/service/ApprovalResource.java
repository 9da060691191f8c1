package io.verops.ingest.service;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.verops.core.BatchIds;
import io.verops.core.Phase;
import io.verops.core.auth.Role;
import io.verops.core.kafka.Publisher;
import io.verops.core.messages.ControlMessage;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import java.util.Locale;

/**
 * {@code POST /batches/{id}/approval}: an operator's decision on the apply of a batch whose dry run is done,
 * published on the control topic for the approval coordinator. Callers need the {@code approver} role; the
 * approver recorded is the authenticated caller ({@code api-key:ops-lead}, {@code oidc:alice}).
 */
@Path("/batches/{id}/approval")
public class ApprovalResource {
    private final IngestRuntime runtime;

    public ApprovalResource(IngestRuntime runtime) {
        this.runtime = runtime;
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Decision(String decision, String reason) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Recorded(String batchId, String decision, String actor, String reason) {
    }

    @POST
    @RolesAllowed(Role.Names.APPROVER)
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response decide(@PathParam("id") String id, Decision body, @Context SecurityContext security) {
        if (!BatchIds.isValid(id)) {
            throw new ApiException(Response.Status.NOT_FOUND, "no batch '" + id + "'");
        }
        if (body == null || body.decision() == null) {
            throw new ApiException(Response.Status.BAD_REQUEST,
                    "the body must be JSON {\"decision\": \"approved\" | \"rejected\", \"reason\": \"...\"}");
        }
        ControlMessage.Type type = switch (body.decision().trim().toLowerCase(Locale.ROOT)) {
            case "approved", "approve" -> ControlMessage.Type.APPROVED;
            case "rejected", "reject" -> ControlMessage.Type.REJECTED;
            default -> throw new ApiException(Response.Status.BAD_REQUEST, "decision '" + body.decision()
                    + "' is not one of approved, rejected");
        };
        String actor = security.getUserPrincipal().getName();
        Publisher publisher = runtime.publisher();
        if (publisher == null) {
            throw new ApiException(Response.Status.SERVICE_UNAVAILABLE, "the service is starting; try again");
        }
        ControlMessage m = new ControlMessage(type, id, null, Phase.APPLY, actor, body.reason(), null,
                runtime.clock().instant());
        Publisher.await(List.of(publisher.send(publisher.settings().topics().control(), id, m)));
        return Response.accepted(new Recorded(id, type == ControlMessage.Type.APPROVED ? "approved" : "rejected",
                actor, body.reason())).build();
    }
}
