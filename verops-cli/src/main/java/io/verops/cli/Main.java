package io.verops.cli;

import io.verops.core.operation.OperationDefinitionException;
import io.verops.ingest.BatchRefusedException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code verops} command. */
@Command(name = "verops", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Verified operations: batch work done by the Codex CLI, item by item, ending in evidence.",
        subcommands = {RunCommand.class, DecisionCommand.Approve.class, DecisionCommand.Reject.class,
                StatusCommand.class, HaltCommand.class, VerifyCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        int code;
        try (CliTracing tracing = CliTracing.fromEnvironment(System.getenv())) {
            code = execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        }
        System.exit(code);
    }

    /** Runs the command with the given streams and returns its exit code (tests call this). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "warn");
            System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
            System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", verbose ? "warn" : "error");
            System.setProperty("org.slf4j.simpleLogger.log.kafka", verbose ? "warn" : "error");
            System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient", "error");
        }
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("verops: " + ex.getMessage());
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return ExitCodes.USAGE_OR_REFUSED;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            int code;
            if (ex instanceof BatchRefusedException refused) {
                err.println("verops: batch refused, nothing was published:");
                refused.problems().forEach(p -> err.println("  " + p));
                code = ExitCodes.USAGE_OR_REFUSED;
            } else if (ex instanceof OperationDefinitionException bad) {
                err.println("verops: " + bad.getMessage());
                code = ExitCodes.USAGE_OR_REFUSED;
            } else if (ex instanceof Main.UsageException) {
                err.println("verops: " + ex.getMessage());
                code = ExitCodes.USAGE_OR_REFUSED;
            } else {
                err.println("verops: failed: " + ex);
                code = ExitCodes.INTERNAL_ERROR;
            }
            if (verbose) {
                ex.printStackTrace(err);
            } else if (code == ExitCodes.INTERNAL_ERROR) {
                err.println("(run again with --verbose for details)");
            }
            err.flush();
            return code;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A mistake of the caller's, reported without a stack trace, exit code 2. */
    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"verops " + (v == null ? "development" : v)};
        }
    }
}
