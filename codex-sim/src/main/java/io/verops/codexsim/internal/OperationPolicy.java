package io.verops.codexsim.internal;

/**
 * The scripted model for one operation. Implementations must be stateless and deterministic: everything they
 * need comes with the request (codex repeats the whole history, and {@link Step.Command#intent()} comes back
 * in the call_id of the previous call).
 */
public interface OperationPolicy {

    /** The operation name this policy answers, e.g. {@code user-provisioning}. */
    String operation();

    /**
     * Decides this turn: a command to run (usually on turn 1, {@code ctx.lastTool() == null}) or the final
     * answer. Command-shaping faults are asked through {@code ctx.faults()}; final-message faults
     * (NON_JSON, OFF_SCHEMA, WRONG_ITEM_ID, CLAIM_SUCCESS) are applied by the engine.
     */
    Step decide(PolicyContext ctx);
}
