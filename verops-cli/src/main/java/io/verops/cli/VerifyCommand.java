package io.verops.cli;

import io.verops.archiver.BundleVerifier;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code verops verify}: checks an evidence bundle offline (the checks live in {@link BundleVerifier}). */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check an evidence bundle offline, without re-running anything: the manifest's Ed25519 signature, "
                + "every file's SHA-256, the audit chain from first line to last, report.json against its schema, "
                + "the counts against the results, and the results against the audit.",
                "Without --key the bundled public-key.pem is used: that proves the bundle is intact, not who wrote it; "
                        + "give the signer's public key with --key to check that too.",
                "Exit codes: 0 every check holds (one-line summary on stdout); 1 a discrepancy (the first one, on "
                        + "stdout); 2 usage error (no such folder, unreadable key)."})
public final class VerifyCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "BUNDLE", description = "the bundle folder (holding manifest.json)")
    Path bundle;

    @Option(names = "--key", paramLabel = "PUBLIC-KEY", description = "the signer's Ed25519 public key (PEM, X.509 SubjectPublicKeyInfo)")
    Path key;

    @Option(names = "--verbose", description = "list every check that held")
    boolean verbose;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        BundleVerifier.Result result;
        try {
            result = BundleVerifier.verify(bundle, key);
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException(e.getMessage());
        }
        if (verbose) {
            result.checks().forEach(c -> out.println("  ok: " + c));
        }
        out.println(result.ok() ? result.message() : "FAILED " + bundle.getFileName() + ": " + result.message());
        out.flush();
        return result.ok() ? ExitCodes.OK : ExitCodes.NOT_ALL_SUCCEEDED;
    }
}
