package io.verops.codexsim.internal;

import io.verops.codexsim.Fault;
import io.verops.codexsim.FaultKind;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** The faults of one sim with how often each may still fire. Thread-safe. */
public final class FaultBook {

    private static final int UNLIMITED = -1;

    private final List<Entry> entries;

    public FaultBook(List<Fault> faults) {
        this.entries = faults.stream().map(Entry::new).toList();
    }

    /** Fires the first matching fault of this kind, if any; returns whether one fired. */
    public boolean fire(FaultKind kind, String itemId, int turn) {
        return fire(kind, itemId, null, turn);
    }

    /** As {@link #fire(FaultKind, String, int)}, for a request of a known phase ({@code dry_run} or {@code apply}). */
    public boolean fire(FaultKind kind, String itemId, String phase, int turn) {
        return fireFirst(Set.of(kind), itemId, phase, turn) != null;
    }

    /**
     * Fires the first fault (in config order) whose kind is in {@code kinds}, whose item and turn match and
     * that may still fire; returns its kind, or {@code null} when none fired.
     */
    public FaultKind fireFirst(Set<FaultKind> kinds, String itemId, int turn) {
        return fireFirst(kinds, itemId, null, turn);
    }

    /** As {@link #fireFirst(Set, String, int)}; a fault bound to a phase fires only in requests of that phase. */
    public FaultKind fireFirst(Set<FaultKind> kinds, String itemId, String phase, int turn) {
        for (Entry e : entries) {
            Fault f = e.fault;
            if (!kinds.contains(f.kind())) {
                continue;
            }
            if (f.itemId() != null && !Objects.equals(f.itemId(), itemId)) {
                continue;
            }
            if (f.turn() != 0 && f.turn() != turn) {
                continue;
            }
            if (f.phase() != null && !f.phase().equals(phase)) {
                continue;
            }
            if (e.tryFire()) {
                return f.kind();
            }
        }
        return null;
    }

    /** A {@link FaultSwitch} bound to one item and turn. */
    public FaultSwitch switchFor(String itemId, int turn) {
        return switchFor(itemId, null, turn);
    }

    public FaultSwitch switchFor(String itemId, String phase, int turn) {
        return kind -> fire(kind, itemId, phase, turn);
    }

    private static final class Entry {
        final Fault fault;
        final AtomicInteger remaining;

        Entry(Fault fault) {
            this.fault = fault;
            this.remaining = new AtomicInteger(fault.times() > 0 ? fault.times() : UNLIMITED);
        }

        boolean tryFire() {
            while (true) {
                int r = remaining.get();
                if (r == UNLIMITED) {
                    return true;
                }
                if (r <= 0) {
                    return false;
                }
                if (remaining.compareAndSet(r, r - 1)) {
                    return true;
                }
            }
        }
    }
}
