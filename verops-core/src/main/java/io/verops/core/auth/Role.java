package io.verops.core.auth;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a caller of the HTTP APIs may do: submit batches (ingest {@code POST /batches}), approve or reject applies
 * (ingest {@code POST /batches/{id}/approval}) and read evidence (the archiver's {@code GET /batches...}). A caller
 * may hold several.
 */
public enum Role {
    SUBMITTER, APPROVER, READER;

    /** The roles' names as constants, for {@code @RolesAllowed}. */
    public static final class Names {
        public static final String SUBMITTER = "submitter";
        public static final String APPROVER = "approver";
        public static final String READER = "reader";

        private Names() {
        }
    }

    /** The role's name in configuration, in tokens and in messages: {@code submitter}, {@code approver}, {@code reader}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> fromWire(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String n = name.strip();
        return Arrays.stream(values()).filter(r -> r.wire().equals(n)).findFirst();
    }

    /** {@code submitter, approver, reader}: for messages. */
    public static String known() {
        return Arrays.stream(values()).map(Role::wire).collect(Collectors.joining(", "));
    }
}
