package io.verops.ingest.service;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.verops.core.BatchIds;
import io.verops.core.Phase;
import io.verops.core.auth.Role;
import io.verops.core.operation.Operation;
import io.verops.ingest.BatchFormat;
import io.verops.ingest.BatchInput;
import io.verops.ingest.BatchPlan;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.stream.Collectors;

/**
 * {@code POST /batches}: a batch in, planned and published by the ingest stage, as {@code verops run} does: its
 * items go to the dry run first; the apply follows an approval on the control topic. Callers need the
 * {@code submitter} role.
 */
@Path("/batches")
public class BatchResource {
    private final IngestRuntime runtime;

    public BatchResource(IngestRuntime runtime) {
        this.runtime = runtime;
    }

    @POST
    @RolesAllowed(Role.Names.SUBMITTER)
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response submit(@QueryParam("operation") String operation, @QueryParam("batch_id") String batchId,
                           @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        if (operation == null || operation.isBlank()) {
            throw new ApiException(Response.Status.BAD_REQUEST,
                    "query parameter 'operation' is required (e.g. POST /batches?operation=user-provisioning)");
        }
        BatchFormat format = BatchFormat.fromContentType(contentType).orElseThrow(() -> new ApiException(
                Response.Status.UNSUPPORTED_MEDIA_TYPE, "Content-Type " + (contentType == null ? "missing" : "'" + contentType + "'")
                + " is not a batch format: send text/csv, application/json or application/x-ndjson"));
        if (runtime.catalog().find(operation).isEmpty()) {
            throw new ApiException(Response.Status.NOT_FOUND, "unknown operation '" + operation + "' (known: "
                    + runtime.catalog().all().stream().map(Operation::name).collect(Collectors.joining(", ")) + ")");
        }
        if (batchId != null && !BatchIds.isValid(batchId)) {
            throw new ApiException(Response.Status.BAD_REQUEST, "batch_id '" + batchId
                    + "' is not valid: use 1 to 64 letters, digits, '.', '_' or '-', not starting with '.'");
        }
        String id = batchId == null ? BatchIds.next(runtime.clock()) : batchId;
        BatchPlan plan = runtime.stage().plan(operation, id, Phase.DRY_RUN,
                new BatchInput("HTTP body", format, body == null ? new byte[0] : body));
        runtime.stage().publish(plan);
        return Response.accepted(new Accepted(plan.batchId(), operation, Phase.DRY_RUN.wire(), plan.totalRows(),
                plan.items().size(), plan.notExecuted().size())).build();
    }

    /** The 202 answer: the batch id and what ingest made of the rows. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Accepted(String batchId, String operation, String phase, int rows, int items, int notExecuted) {
    }
}
