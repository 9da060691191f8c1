package io.verops.codexsim;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -cp ... io.verops.codexsim.Main [--port N] [--latency-ms N] [--fault SPEC]...}: starts a
 * {@link CodexSim}, prints {@code codex-sim listening on http://127.0.0.1:PORT/v1} and runs until killed.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        SimConfig config;
        try {
            config = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("codex-sim: " + e.getMessage());
            usage(System.err);
            System.exit(2);
            return;
        }
        if (config == null) {
            usage(System.out);
            return;
        }
        CodexSim sim = CodexSim.start(config);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sim.close();
            stop.countDown();
        }, "codex-sim-shutdown"));
        System.out.println("codex-sim listening on " + sim.baseUrl());
        for (Fault f : config.faults()) {
            System.out.println("codex-sim fault " + f.spec());
        }
        System.out.flush();
        stop.await();
    }

    /** Parses the command line; {@code null} for {@code --help}. */
    static SimConfig parse(String[] args) {
        int port = 0;
        Duration latency = Duration.ZERO;
        List<Fault> faults = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String name = a;
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            switch (name) {
                case "-h", "--help" -> {
                    return null;
                }
                case "--port", "--latency-ms", "--fault" -> {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException(name + " needs a value");
                        }
                        value = args[++i];
                    }
                    switch (name) {
                        case "--port" -> port = integer(name, value);
                        case "--latency-ms" -> latency = Duration.ofMillis(integer(name, value));
                        default -> faults.add(Fault.parse(value));
                    }
                }
                default -> throw new IllegalArgumentException("unknown argument '" + a + "'");
            }
        }
        return new SimConfig(port, latency, faults);
    }

    private static int integer(String name, String value) {
        try {
            int v = Integer.parseInt(value.trim());
            if (v < 0) {
                throw new IllegalArgumentException(name + " must not be negative, got " + value);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, got '" + value + "'");
        }
    }

    private static void usage(PrintStream out) {
        out.println("usage: io.verops.codexsim.Main [--port N] [--latency-ms N] [--fault SPEC]...");
        out.println("  SPEC = kind[:item=ID,turn=N,times=N]   kinds: " + FaultKind.knownNames());
    }
}
