package io.verops.executor.hooks;

import io.verops.core.operation.Operation;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules every operation gets, declared once here (docs/hooks.md lists them, and a test keeps the two
 * together), and how an operation's {@code policy} adds to them.
 */
final class DefaultRules {
    /** A word boundary in POSIX ERE: the start, or a character that cannot be part of a word. */
    private static final String B = "(^|[^[:alnum:]_])";
    private static final String E = "([^[:alnum:]_]|$)";
    private static final String SP = "[[:space:]]+";
    /** Further words of the same simple command. */
    private static final String WORDS = "([[:space:]]+[^[:space:];&|]+)*";
    private static final String R_FLAG = "(--recursive|-[[:alpha:]]*r[[:alpha:]]*)";
    private static final String F_FLAG = "(--force|-[[:alpha:]]*f[[:alpha:]]*)";

    static final List<HookRule> FORBIDDEN = List.of(
            new HookRule(HookRule.Kind.FORBIDDEN, "forbidden:rm-rf",
                    "(^|[^[:alnum:]_.-])rm" + WORDS + SP + "(-[[:alpha:]]*(r[[:alpha:]]*f|f[[:alpha:]]*r)[[:alpha:]]*|"
                            + R_FLAG + WORDS + SP + F_FLAG + "|" + F_FLAG + WORDS + SP + R_FLAG + ")",
                    null, "a recursive forced deletion (rm -rf, in any spelling of its options) is forbidden"),
            new HookRule(HookRule.Kind.FORBIDDEN, "forbidden:drop",
                    B + "DROP" + SP + "(TABLE|DATABASE|SCHEMA|INDEX|VIEW|TRIGGER|COLUMN|USER|ROLE|PROCEDURE|FUNCTION"
                            + "|SEQUENCE|TYPE|EXTENSION|OWNED|CONSTRAINT)" + E,
                    null, "DROP of a table, database, index or any other object is forbidden"),
            new HookRule(HookRule.Kind.FORBIDDEN, "forbidden:truncate",
                    B + "TRUNCATE(" + SP + "TABLE)?" + SP + "[^[:space:]]",
                    null, "TRUNCATE (of a table, or of a file with the truncate command) is forbidden"),
            new HookRule(HookRule.Kind.FORBIDDEN, "forbidden:delete-without-where",
                    B + "DELETE" + SP + "FROM[^;'&|]*", "[^[:alnum:]_]WHERE" + E,
                    "DELETE without a WHERE clause (deleting every row) is forbidden"),
            new HookRule(HookRule.Kind.FORBIDDEN, "forbidden:escape-sequence",
                    "\\\\(x[[:xdigit:]]|[0-7][0-7][0-7]|u[[:xdigit:]][[:xdigit:]][[:xdigit:]][[:xdigit:]]|U[[:xdigit:]])",
                    null, "characters spelled as escape sequences (\\xHH, \\NNN, \\uHHHH) are forbidden, because they "
                            + "can hide a forbidden word from this check"));

    static final List<HookRule> WRITES = List.of(
            new HookRule(HookRule.Kind.WRITE, "dry-run-write:sql",
                    B + "((INSERT(" + SP + "OR" + SP + "[[:alpha:]]+)?" + SP + "INTO|REPLACE" + SP + "INTO|UPDATE"
                            + SP + "([[:alpha:]]+" + SP + "){0,2}[^[:space:];]+" + SP + "SET|DELETE" + SP + "FROM|CREATE"
                            + SP + "([[:alpha:]]+" + SP + ")*(TABLE|INDEX|VIEW|TRIGGER|DATABASE|SCHEMA|SEQUENCE"
                            + "|FUNCTION|PROCEDURE|USER|ROLE)|ALTER" + SP + "(TABLE|DATABASE|SCHEMA|INDEX|VIEW|USER"
                            + "|ROLE|SEQUENCE)|DROP" + SP + "[[:alpha:]]+|TRUNCATE|MERGE" + SP + "INTO|VACUUM" + SP
                            + "INTO)" + E + "|ATTACH" + SP + "(DATABASE" + SP + ")?['\"[:alnum:]_:/.]|DETACH" + SP
                            + "(DATABASE" + SP + ")?[[:alnum:]_'\"]|VACUUM[[:space:]]*([;'\"]|$)|PRAGMA" + SP
                            + "[[:alnum:]_.]+[[:space:]]*=)",
                    null, "in a dry run no command may change data, and this SQL writes (INSERT, UPDATE, DELETE, "
                            + "REPLACE, CREATE, ALTER, DROP, TRUNCATE, ATTACH, VACUUM, PRAGMA x = ...)"),
            new HookRule(HookRule.Kind.WRITE, "dry-run-write:in-place-edit",
                    B + "(sed|perl|ruby)" + SP + "([^;&|]*[[:space:]])?(-[[:alpha:]]*i|--in-place)",
                    null, "in a dry run no file may be edited in place (sed -i, perl -i)"),
            new HookRule(HookRule.Kind.WRITE, "dry-run-write:find-action",
                    B + "find[[:space:]]([^;&|]*[[:space:]])?-(delete|exec|execdir|ok|okdir|fprint|fprint0|fprintf"
                            + "|fls)([[:space:]]|$)",
                    null, "in a dry run find may only list files (no -delete, -exec, -fprint)"));

    /** Programs that write files or change the system: refused in a dry run. */
    static final List<String> WRITE_PROGRAMS = List.of("rm", "rmdir", "mv", "cp", "ln", "link", "unlink", "tee",
            "touch", "mkdir", "mkfifo", "mknod", "mktemp", "chmod", "chown", "chgrp", "chattr", "setfacl", "truncate",
            "dd", "install", "shred", "rsync", "patch", "tar", "zip", "unzip", "gzip", "gunzip", "bzip2", "bunzip2",
            "xz", "unxz", "split", "csplit", "git", "curl", "wget", "scp", "sftp", "ftp", "apt", "apt-get", "dpkg",
            "npm", "pip", "pip3", "yarn", "pnpm", "make", "kill", "pkill", "killall", "ed", "ex", "vi", "vim",
            "apply_patch", "applypatch");

    /** Programs that run code the hook cannot see (shells, wrappers, interpreters): refused in a dry run. */
    static final List<String> OPAQUE_PROGRAMS = List.of("bash", "sh", "dash", "zsh", "ksh", "mksh", "fish", "csh",
            "tcsh", "busybox", "env", "xargs", "sudo", "su", "doas", "eval", "exec", "source", ".", "command",
            "builtin", "nohup", "timeout", "nice", "ionice", "stdbuf", "chroot", "unshare", "nsenter", "setsid",
            "parallel", "watch", "script", "expect", "python", "python2", "python3", "perl", "ruby", "node", "nodejs",
            "php", "lua", "awk", "gawk", "mawk", "nawk", "tclsh", "java", "jshell");

    private DefaultRules() {
    }

    /** The defaults, then the operation's own rules, forbidden ones first. */
    static List<HookRule> forOperation(Operation.CommandPolicy policy) {
        List<HookRule> all = new ArrayList<>(FORBIDDEN);
        for (Operation.PatternRule r : policy.forbidden()) {
            all.add(new HookRule(HookRule.Kind.FORBIDDEN, "forbidden:" + r.name(), r.pattern(), r.unless(),
                    "the operation forbids this (its rule '" + r.name() + "')"));
        }
        all.addAll(WRITES);
        for (Operation.PatternRule r : policy.writePatterns()) {
            all.add(new HookRule(HookRule.Kind.WRITE, "dry-run-write:" + r.name(), r.pattern(), r.unless(),
                    "in a dry run no command may write, and the operation counts this as a write (its rule '"
                            + r.name() + "')"));
        }
        return List.copyOf(all);
    }
}
