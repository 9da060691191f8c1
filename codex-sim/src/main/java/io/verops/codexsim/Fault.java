package io.verops.codexsim;

import java.util.Objects;

/**
 * One scripted misbehaviour of the model.
 *
 * <p>A fault matches a request when its kind applies at that point of the conversation, {@code itemId} is
 * {@code null} or equal to the item's {@code item_id}, {@code turn} is 0 or equal to the model turn (1-based,
 * counted within one codex conversation), and it may still fire. Firing uses one of {@code times}
 * (counted across all requests of one {@link CodexSim}); {@code times <= 0} means unlimited.
 *
 * <p>Spec syntax (see {@link #parse(String)}): {@code kind[:key=value[,key=value]...]} with keys
 * {@code item}, {@code turn} and {@code times}, e.g. {@code http500:item=bob@example.com,turn=1,times=1}.
 */
public record Fault(FaultKind kind, String itemId, int turn, int times, String phase) {

    public Fault {
        Objects.requireNonNull(kind, "kind");
        if (turn < 0) {
            throw new IllegalArgumentException("fault turn must be 0 (any) or a 1-based turn number, got " + turn);
        }
        if (phase != null && !phase.equals("dry_run") && !phase.equals("apply")) {
            throw new IllegalArgumentException("fault phase must be dry_run, apply or null (any), got " + phase);
        }
        if (itemId != null && itemId.isEmpty()) {
            throw new IllegalArgumentException("fault itemId must be null (any item) or non-empty");
        }
    }

    /** A fault of this kind for any item, any turn, unlimited times. */
    /** A fault for requests of any phase. */
    public Fault(FaultKind kind, String itemId, int turn, int times) {
        this(kind, itemId, turn, times, null);
    }

    public static Fault of(FaultKind kind) {
        return new Fault(kind, null, 0, 0, null);
    }

    /**
     * Parses {@code kind[:key=value[,key=value]...]}.
     * Kinds: {@code http500, http429, hang, off-schema, non-json, wrong-item-id, claim-success, failing-command,
     * destructive-command, destructive-output, error-flood, write-in-dry-run} (case, '-' and '_' ignored).
     * Keys: {@code item} (an item_id; {@code *} = any), {@code turn} (1-based; 0 = any), {@code times}
     * (total firings; 0 or less = unlimited). Values cannot contain ','.
     *
     * @throws IllegalArgumentException naming the bad part of the spec
     */
    public static Fault parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("empty fault spec; expected kind[:item=ID,turn=N,times=N]");
        }
        String trimmed = spec.trim();
        int colon = trimmed.indexOf(':');
        String kindPart = colon < 0 ? trimmed : trimmed.substring(0, colon);
        FaultKind kind;
        try {
            kind = FaultKind.fromSpecName(kindPart);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad fault spec '" + spec + "': " + e.getMessage(), e);
        }
        String itemId = null;
        int turn = 0;
        int times = 0;
        String phase = null;
        if (colon >= 0) {
            String rest = trimmed.substring(colon + 1);
            if (rest.isBlank()) {
                throw new IllegalArgumentException("bad fault spec '" + spec + "': nothing after ':'; expected item=ID,turn=N,times=N");
            }
            for (String part : rest.split(",", -1)) {
                int eq = part.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("bad fault spec '" + spec + "': '" + part + "' is not key=value (keys: item, turn, times, phase)");
                }
                String key = part.substring(0, eq).trim().toLowerCase(java.util.Locale.ROOT);
                String value = part.substring(eq + 1).trim();
                switch (key) {
                    case "item", "itemid", "item_id" -> {
                        if (value.isEmpty()) {
                            throw new IllegalArgumentException("bad fault spec '" + spec + "': empty item value (use item=* or leave it out for any item)");
                        }
                        itemId = value.equals("*") ? null : value;
                    }
                    case "turn" -> {
                        turn = parseInt(spec, "turn", value);
                        if (turn < 0) {
                            throw new IllegalArgumentException("bad fault spec '" + spec + "': turn must be >= 0 (0 = any), got " + value);
                        }
                    }
                    case "times" -> times = parseInt(spec, "times", value);
                    case "phase" -> {
                        phase = value.toLowerCase(java.util.Locale.ROOT).replace('-', '_');
                        if (!phase.equals("dry_run") && !phase.equals("apply")) {
                            throw new IllegalArgumentException("bad fault spec '" + spec + "': phase must be dry_run or apply, got " + value);
                        }
                    }
                    default -> throw new IllegalArgumentException("bad fault spec '" + spec + "': unknown key '" + key + "' (keys: item, turn, times, phase)");
                }
            }
        }
        return new Fault(kind, itemId, turn, times, phase);
    }

    /** Renders this fault back into the spec syntax accepted by {@link #parse(String)}. */
    public String spec() {
        StringBuilder sb = new StringBuilder(kind.specName());
        String sep = ":";
        if (itemId != null) {
            sb.append(sep).append("item=").append(itemId);
            sep = ",";
        }
        if (turn != 0) {
            sb.append(sep).append("turn=").append(turn);
            sep = ",";
        }
        if (phase != null) {
            sb.append(sep).append("phase=").append(phase);
            sep = ",";
        }
        if (times > 0) {
            sb.append(sep).append("times=").append(times);
        }
        return sb.toString();
    }

    private static int parseInt(String spec, String key, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad fault spec '" + spec + "': " + key + " must be an integer, got '" + value + "'", e);
        }
    }
}
