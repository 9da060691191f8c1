package io.verops.ingest.service;

import jakarta.ws.rs.core.Response;

/** A request the service refuses, with the HTTP status and a message that says what to change. */
public final class ApiException extends RuntimeException {
    private final Response.Status status;

    public ApiException(Response.Status status, String message) {
        super(message);
        this.status = status;
    }

    public Response.Status status() {
        return status;
    }
}
