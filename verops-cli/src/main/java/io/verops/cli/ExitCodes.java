package io.verops.cli;

/** The exit codes of the verops command. */
public final class ExitCodes {
    /** Every item succeeded (verify: the bundle holds). */
    public static final int OK = 0;
    /** The batch completed but some item did not succeed (verify: a discrepancy). */
    public static final int NOT_ALL_SUCCEEDED = 1;
    /** Usage error, or the batch was refused. */
    public static final int USAGE_OR_REFUSED = 2;
    /** The batch was halted by a gate or an operator. */
    public static final int HALTED = 3;
    /** The dry run is done and the apply awaits an operator's approval. */
    public static final int AWAITING_APPROVAL = 4;
    /** verops itself failed (environment, broker, internal error). */
    public static final int INTERNAL_ERROR = 70;

    private ExitCodes() {
    }
}
