package io.verops.ingest.service;

import io.verops.ingest.BatchRefusedException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps refusals to JSON error answers. */
public class ErrorMappers {
    /** 422: the batch as a whole cannot be taken; nothing of it was published. */
    @ServerExceptionMapper
    public Response refused(BatchRefusedException e) {
        return json(422, new ErrorBody("batch refused", e.problems()));
    }

    @ServerExceptionMapper
    public Response refused(ApiException e) {
        return json(e.status().getStatusCode(), ErrorBody.of(e.getMessage()));
    }

    private static Response json(int status, ErrorBody body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }
}
