package io.verops.archiver.service;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.verops.archiver.BundleIndex;
import io.verops.core.Json;
import io.verops.core.auth.Role;
import io.verops.core.operation.Operation;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The evidence bundles the archiver wrote: {@code GET /batches} (filtered), {@code GET /batches/{id}} (summary),
 * {@code GET /batches/{id}/report.json|report.csv|report.html} and {@code GET /batches/{id}/bundle} (a zip of the
 * whole bundle). A batch's dry run is the id {@code <batch-id>.dry-run}. Errors are JSON: {@code {"error": "..."}}.
 * Callers need the {@code reader} role.
 */
@Path("/batches")
@RolesAllowed(Role.Names.READER)
public class BatchesResource {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final ArchiverRuntime runtime;

    public BatchesResource(ArchiverRuntime runtime) {
        this.runtime = runtime;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response list(@QueryParam("operation") String operation, @QueryParam("status") String status,
                         @QueryParam("phase") String phase, @QueryParam("since") String since,
                         @QueryParam("until") String until, @QueryParam("limit") String limit) throws IOException {
        BundleIndex index = index();
        if (operation != null && !operation.isBlank()) {
            java.util.SortedSet<String> known = new java.util.TreeSet<>(index.operations());
            runtime.catalog().all().stream().map(Operation::name).forEach(known::add);
            if (!known.contains(operation.trim())) {
                return error(Response.Status.BAD_REQUEST, "operation '" + operation + "' is not known (known: "
                        + String.join(", ", known) + ")");
            }
        }
        if (status != null && !status.isBlank() && !BundleIndex.STATUSES.contains(status.trim())) {
            return error(Response.Status.BAD_REQUEST, "status '" + status + "' is not one of "
                    + String.join(", ", BundleIndex.STATUSES));
        }
        Boolean dryRun = null;
        if (phase != null && !phase.isBlank()) {
            switch (phase.trim()) {
                case "dry_run" -> dryRun = true;
                case "apply" -> dryRun = false;
                default -> {
                    return error(Response.Status.BAD_REQUEST, "phase '" + phase + "' is not one of dry_run, apply");
                }
            }
        }
        Instant from;
        Instant to;
        int max;
        try {
            from = BundleIndex.parseTime("since", since, false).orElse(null);
            to = BundleIndex.parseTime("until", until, true).orElse(null);
            max = limit(limit);
        } catch (IllegalArgumentException e) {
            return error(Response.Status.BAD_REQUEST, e.getMessage());
        }
        List<BundleIndex.Summary> found = index.list(new BundleIndex.Filter(blankToNull(operation),
                blankToNull(status), dryRun, from, to));
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("total", found.size());
        body.put("count", Math.min(found.size(), max));
        ArrayNode batches = body.putArray("batches");
        for (BundleIndex.Summary s : found.subList(0, Math.min(found.size(), max))) {
            batches.add(s.toJson("/batches/" + s.dir().getFileName()));
        }
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).build();
    }

    @GET
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response summary(@PathParam("id") String id) throws IOException {
        Optional<BundleIndex.Summary> s = index().get(id);
        if (s.isEmpty()) {
            return unknown(id);
        }
        return Response.ok(s.get().toJson("/batches/" + id), MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** The report.json of a batch, as written (kept beside {@code /report.json} for clients of earlier versions). */
    @GET
    @Path("/{id}/report")
    @Produces(MediaType.APPLICATION_JSON)
    public Response report(@PathParam("id") String id) {
        return file(id, "report.json");
    }

    @GET
    @Path("/{id}/report.json")
    @Produces(MediaType.APPLICATION_JSON)
    public Response reportJson(@PathParam("id") String id) {
        return file(id, "report.json");
    }

    /** results.csv of the bundle: one row per item. */
    @GET
    @Path("/{id}/report.csv")
    @Produces("text/csv")
    public Response reportCsv(@PathParam("id") String id) {
        return file(id, "results.csv");
    }

    @GET
    @Path("/{id}/report.html")
    @Produces(MediaType.TEXT_HTML)
    public Response reportHtml(@PathParam("id") String id) {
        return file(id, "report.html");
    }

    @GET
    @Path("/{id}/bundle")
    @Produces("application/zip")
    public Response bundle(@PathParam("id") String id) {
        Optional<java.nio.file.Path> dir = index().find(id);
        if (dir.isEmpty()) {
            return unknown(id);
        }
        StreamingOutput zip = out -> BundleIndex.zip(dir.get(), out);
        return Response.ok(zip, "application/zip")
                .header("Content-Disposition", "attachment; filename=\"" + id + ".zip\"")
                .header("X-Content-Type-Options", "nosniff").build();
    }

    private Response file(String id, String name) {
        Optional<java.nio.file.Path> dir = index().find(id);
        if (dir.isEmpty()) {
            return unknown(id);
        }
        java.nio.file.Path f = dir.get().resolve(name);
        if (!Files.isRegularFile(f)) {
            return error(Response.Status.NOT_FOUND, "batch '" + id + "' has no " + name);
        }
        String type = name.equals("results.csv") ? BundleIndex.FILES.get("report.csv") : BundleIndex.FILES.get(name);
        return Response.ok((StreamingOutput) out -> Files.copy(f, out), type)
                .header("X-Content-Type-Options", "nosniff").build();
    }

    private BundleIndex index() {
        BundleIndex index = runtime.index();
        if (index == null) {
            throw new IllegalStateException("the archiver has not started");
        }
        return index;
    }

    private static int limit(String limit) {
        if (limit == null || limit.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(limit.trim());
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException("limit '" + limit + "' is not a whole number from 1 to " + MAX_LIMIT);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static Response unknown(String id) {
        return error(Response.Status.NOT_FOUND, "no evidence bundle for batch '" + id + "' (unknown, or not complete yet)");
    }

    static Response error(Response.Status status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new ErrorBody(message)).build();
    }
}
