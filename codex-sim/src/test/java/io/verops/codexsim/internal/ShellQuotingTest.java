package io.verops.codexsim.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Execution(ExecutionMode.CONCURRENT)
class ShellQuotingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    Path db;
    Path marker;

    /** Values that would change the meaning of a naively built command; each must be stored verbatim. */
    static Stream<String> hostileValues() {
        return Stream.of(
                "ops'; DROP TABLE users; --",
                "ops\"; DROP TABLE users; --",
                "$(touch MARKER)",
                "`touch MARKER`",
                "x'$(touch MARKER)'y",
                "'; touch MARKER; echo '",
                "line one\nline two\n; touch MARKER",
                "say \"hi\" and \\\"bye\\\"",
                "back\\slash\\",
                "'", "''", "'\\''", "\"",
                "; rm -rf / #",
                "$HOME ${PATH} $((1+1)) !! !$",
                "%Y-%m-%d %s",
                "tab\there\r\ncrlf",
                "Zoë 🚀 日本",
                "-readonly",
                ".tables",
                "");
    }

    @TempDir
    static Path templateDir;
    static Path template;

    @BeforeAll
    static void createTemplateDatabase() throws Exception {
        template = templateDir.resolve("template.db");
        run(List.of("sqlite3", template.toString(),
                "CREATE TABLE users(email TEXT PRIMARY KEY, role TEXT NOT NULL, team TEXT NOT NULL, created_at TEXT);"));
    }

    @BeforeEach
    void copyDatabase() throws Exception {
        Path sub = Files.createDirectories(dir.resolve("we'ird $dir \"x\""));
        db = sub.resolve("users.db");
        marker = dir.resolve("MARKER");
        Files.copy(template, db);
    }

    @Test
    void a_shell_word_is_single_quoted_with_single_quotes_escaped_outside() {
        assertThat(ShellQuoting.shellWord("plain")).isEqualTo("'plain'");
        assertThat(ShellQuoting.shellWord("it's")).isEqualTo("'it'\\''s'");
        assertThat(ShellQuoting.shellWord("")).isEqualTo("''");
        assertThat(ShellQuoting.shellWord("$(x) `y` \"z\"\n")).isEqualTo("'$(x) `y` \"z\"\n'");
    }

    @Test
    void a_sql_literal_doubles_single_quotes_and_null_is_sql_null() {
        assertThat(ShellQuoting.sqlLiteral("o'brien")).isEqualTo("'o''brien'");
        assertThat(ShellQuoting.sqlLiteral("''")).isEqualTo("''''''");
        assertThat(ShellQuoting.sqlLiteral(null)).isEqualTo("NULL");
    }

    @Test
    void a_nul_character_is_refused_rather_than_silently_truncated() {
        assertThatThrownBy(() -> ShellQuoting.shellWord("a\0b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_path_starting_with_a_dash_cannot_become_an_option() {
        assertThat(ShellQuoting.pathArgument("-readonly")).isEqualTo("./-readonly");
        assertThat(ShellQuoting.pathArgument("/abs/users.db")).isEqualTo("/abs/users.db");
    }

    @ParameterizedTest
    @MethodSource("hostileValues")
    void the_insert_command_passes_exactly_four_arguments_to_sqlite3_whatever_the_values(String value) throws Exception {
        String hostile = value.replace("MARKER", marker.toString());
        String cmd = UserProvisioningPolicy.insertCommand(db.toString(), "e@x.com", "role " + hostile, hostile, "users");
        List<String> argv = argvOf(cmd);
        assertThat(argv).hasSize(4);
        assertThat(argv.subList(0, 3)).containsExactly("-cmd", ".timeout 5000", db.toString());
        assertThat(argv.get(3)).isEqualTo("INSERT INTO users(email, role, team, created_at) VALUES('e@x.com', "
                + ShellQuoting.sqlLiteral("role " + hostile) + ", " + ShellQuoting.sqlLiteral(hostile)
                + ", strftime('%Y-%m-%dT%H:%M:%SZ','now'));");
        assertThat(marker).doesNotExist();
    }

    @Test
    void hostile_values_run_through_bash_against_real_sqlite_are_stored_verbatim() throws Exception {
        List<String> values = hostileValues().map(v -> v.replace("MARKER", marker.toString())).toList();
        List<String> commands = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i);
            // the value goes into every column: email (the primary key, made unique), role and team
            commands.add(UserProvisioningPolicy.insertCommand(db.toString(), i + v, "role " + v, v, "users"));
        }

        List<String> failures = runEach(commands);

        assertThat(failures).isEmpty();
        JsonNode rows = JSON.readTree(run(List.of("sqlite3", "-json", db.toString(), "SELECT rowid, * FROM users ORDER BY rowid")).output);
        assertThat(rows).hasSize(values.size());
        for (int i = 0; i < values.size(); i++) {
            JsonNode row = rows.get(i);
            String v = values.get(i);
            assertThat(row.get("email").asText()).as("email of value %d", i).isEqualTo(i + v);
            assertThat(row.get("role").asText()).as("role of value %d", i).isEqualTo("role " + v);
            assertThat(row.get("team").asText()).as("team of value %d", i).isEqualTo(v);
            assertThat(row.get("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        }
        assertThat(marker).doesNotExist();
    }

    @Test
    void the_dry_run_check_counts_hostile_emails_without_writing() throws Exception {
        List<String> values = hostileValues().map(v -> v.replace("MARKER", marker.toString())).toList();
        List<String> inserts = new ArrayList<>();
        List<String> checks = new ArrayList<>();
        for (String v : values) {
            inserts.add(UserProvisioningPolicy.insertCommand(db.toString(), v, "admin", "ops", "users"));
            checks.add(UserProvisioningPolicy.checkCommand(db.toString(), v, "users"));
            checks.add(UserProvisioningPolicy.checkCommand(db.toString(), v + "x", "users"));
        }
        assertThat(runEach(inserts)).isEmpty();
        byte[] before = Files.readAllBytes(db);

        Result counts = run(List.of("bash", "-c", String.join("\n", checks)));

        assertThat(counts.exit).isZero();
        assertThat(counts.output).isEqualTo("1\n0\n".repeat(values.size())); // present, then absent
        assertThat(Files.readAllBytes(db)).isEqualTo(before);
        assertThat(marker).doesNotExist();
    }

    /** Runs each command line in its own {@code bash -c} (from one driver process); returns the failures. */
    private List<String> runEach(List<String> commands) throws Exception {
        Path scripts = Files.createDirectories(dir.resolve("commands"));
        StringBuilder driver = new StringBuilder();
        for (int i = 0; i < commands.size(); i++) {
            Path f = scripts.resolve("cmd-" + i);
            Files.writeString(f, commands.get(i));
            driver.append("bash -c \"$(cat ").append(ShellQuoting.shellWord(f.toString()))
                    .append(")\" || echo \"FAILED ").append(i).append(" exit $?\"\n");
        }
        Result r = run(List.of("bash", "-c", driver.toString()));
        return r.output.lines().filter(l -> !l.isBlank()).toList();
    }

    @Test
    void the_read_only_check_cannot_write_even_if_sql_were_injected() throws Exception {
        Result r = run(List.of("bash", "-c", "sqlite3 -readonly " + ShellQuoting.shellWord(db.toString())
                + " 'DELETE FROM users'"));
        assertThat(r.exit).isNotZero();
        assertThat(r.output).contains("readonly");
    }

    /** The argv bash would pass to sqlite3 for this command line (sqlite3 replaced by a printing function). */
    private static List<String> argvOf(String cmd) throws Exception {
        assertThat(cmd).startsWith("sqlite3 ");
        Result r = run(List.of("bash", "-c", "sqlite3() { printf '%s\\0' \"$@\"; }; " + cmd));
        assertThat(r.exit).isZero();
        String out = r.output;
        return Arrays.asList(out.substring(0, out.length() - 1).split("\0", -1));
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
