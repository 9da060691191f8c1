package io.verops.archiver.service;

import io.verops.core.BatchIds;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.file.Files;

/** {@code GET /batches/{id}/report}: the report.json of a batch's evidence bundle, as written. */
@Path("/batches/{id}/report")
public class ReportResource {
    private final ArchiverRuntime runtime;

    public ReportResource(ArchiverRuntime runtime) {
        this.runtime = runtime;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response report(@PathParam("id") String id) throws IOException {
        if (!BatchIds.isValid(id)) {
            return notFound("'" + id + "' is not a batch id");
        }
        java.nio.file.Path bundle = runtime.stage().findBundle(id);
        if (bundle == null) {
            return notFound("no evidence bundle for batch '" + id + "' (unknown, or not complete yet)");
        }
        return Response.ok(Files.readAllBytes(bundle.resolve("report.json")), MediaType.APPLICATION_JSON_TYPE).build();
    }

    private static Response notFound(String message) {
        return Response.status(Response.Status.NOT_FOUND).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorBody(message)).build();
    }
}
