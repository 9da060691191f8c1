package io.verops.codexsim.internal;

import io.verops.codexsim.FaultKind;

/** Asks whether a fault of a kind fires now (for the current item and turn); a {@code true} answer used it up once. */
@FunctionalInterface
public interface FaultSwitch {
    boolean fire(FaultKind kind);

    FaultSwitch NONE = kind -> false;
}
