package io.verops.codexsim.internal;

/** What the scripted model does on one turn. */
public sealed interface Step {

    /**
     * Call {@code exec_command} with {@code cmd}. The {@code intent} (lowercase letters only) travels in the
     * call_id, comes back with the history on the next turn, and tells the policy what it asked for.
     */
    record Command(String intent, String cmd) implements Step {
        public Command {
            if (!intent.matches("[a-z]+")) {
                throw new IllegalArgumentException("intent must be lowercase letters: " + intent);
            }
        }
    }

    /**
     * End with a final message. {@code claimedSuccess} is what the model says when a CLAIM_SUCCESS fault makes
     * it lie about a failure ({@code null}: a generic claim).
     */
    record Final(FinalAnswer honest, FinalAnswer claimedSuccess) implements Step {
    }
}
