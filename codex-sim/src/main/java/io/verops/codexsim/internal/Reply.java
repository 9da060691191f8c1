package io.verops.codexsim.internal;

/** How the sim answers one request. */
public sealed interface Reply {

    /** HTTP 200 {@code text/event-stream} with this body. */
    record Stream(String sse) implements Reply {
    }

    /** An HTTP error status with a JSON body. */
    record Error(int status, String json) implements Reply {
    }

    /** Never answer. */
    record Hang() implements Reply {
    }
}
