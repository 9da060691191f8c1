package io.verops.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.verops.core.Json;
import io.verops.core.Phase;
import io.verops.core.operation.Operation;
import io.verops.core.operation.OperationCatalog;
import io.verops.core.operation.OperationDefinitionException;
import io.verops.core.operation.SqlTemplate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** An operation's post-conditions, gates and output schema are checked when it loads, every problem at once. */
class VerificationDefinitionTest {
    static List<String> problems(Consumer<ObjectNode> edit) {
        Path dir = TestOperations.copy("user-provisioning", edit);
        try {
            OperationCatalog.loadOne(dir);
            return List.of();
        } catch (OperationDefinitionException e) {
            return e.problems();
        }
    }

    static ObjectNode postCondition(ObjectNode def, int i) {
        return (ObjectNode) def.get("post_conditions").get(i);
    }

    @Test
    void theProjectsOperationDeclaresItsPostConditionsAndGates() {
        Operation op = TestOperations.userProvisioning();
        assertThat(op.postConditions(Phase.APPLY)).extracting(Operation.PostCondition::name)
                .containsExactly("user-created");
        assertThat(op.postConditions(Phase.DRY_RUN)).extracting(Operation.PostCondition::name)
                .containsExactly("user-not-created-yet");
        assertThat(op.postConditions(Phase.APPLY).get(0).query().parameters()).containsExactly("email");
        assertThat(op.gates()).isEqualTo(new Operation.Gates(20, false));
        assertThat(op.limits().failureThreshold()).isEqualTo(0.05);
        assertThat(op.policy().errorFloodLimit()).isEqualTo(10);
    }

    @Test
    void everyOperationOfTheProjectWithATargetDeclaresPostConditions() {
        OperationCatalog all = OperationCatalog.load(TestOperations.root().resolve("operations"));
        assertThat(all.all()).isNotEmpty().allSatisfy(op -> {
            if (op.target() != null) {
                assertThat(op.postConditions()).as(op.name()).isNotEmpty();
            }
            if (op.apply().enabled()) {
                assertThat(op.postConditions(Phase.APPLY)).as(op.name() + " checks its apply").isNotEmpty();
            }
        });
    }

    @Test
    void withoutGatesTheDefaultsApply() {
        Path dir = TestOperations.copy("user-provisioning", def -> def.remove("gates"));
        assertThat(OperationCatalog.loadOne(dir).gates()).isEqualTo(Operation.Gates.DEFAULT);
    }

    @Test
    void everyBadPostConditionIsNamedWithItsFileAndPointer() {
        List<String> problems = problems(def -> {
            postCondition(def, 0).put("query", "DELETE FROM users WHERE email = :email");
            postCondition(def, 1).put("phase", "later").put("query", "SELECT 1 AS n WHERE :nickname = ?")
                    .put("colour", "red");
            ((ArrayNode) def.get("post_conditions")).addObject().put("name", "user-created")
                    .put("phase", "apply").put("query", "SELECT 1; DROP TABLE users")
                    .set("expect", Json.parse("[{\"n\": \":age\", \"m\": [1]}, 3]"));
        });
        String file = "operation.json at /post_conditions/";
        assertThat(problems).anySatisfy(p -> assertThat(p).endsWith(file + "0/query: the query must be a read-only "
                + "query beginning with SELECT or WITH (found 'DELETE')"));
        assertThat(problems).anySatisfy(p -> assertThat(p).endsWith(file + "1: unknown key 'colour' (known: "
                + "description, expect, name, phase, query)"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains(file + "1/phase: must be \"apply\""));
        assertThat(problems).anySatisfy(p -> assertThat(p).endsWith(file + "1/query: parameter '?' at offset 32: "
                + "write named parameters as :field"));
        assertThat(problems).anySatisfy(p -> assertThat(p).endsWith(file + "2/name: 'user-created' is used by another "
                + "post-condition"));
        assertThat(problems).anySatisfy(p -> assertThat(p).endsWith(file + "2/query: the query holds more than one "
                + "statement (only one SELECT is allowed)"));
        assertThat(problems).anySatisfy(p -> assertThat(p).endsWith(file + "2/expect/0/n: ':age' refers to no declared "
                + "field (fields: email, role, team)"));
        assertThat(problems).anySatisfy(p -> assertThat(p).endsWith(file + "2/expect/0/m: a value must be a string, "
                + "number, boolean or null (found [1])"));
        assertThat(problems).anySatisfy(p -> assertThat(p).endsWith(file + "2/expect/1: a row must be an object of "
                + "column: value (found 3)"));
        assertThat(problems).allSatisfy(p -> assertThat(p).contains("user-provisioning"));
    }

    @Test
    void aParameterMustBeADeclaredField() {
        List<String> problems = problems(def -> postCondition(def, 0)
                .put("query", "SELECT role FROM users WHERE email = :mail"));
        assertThat(problems).singleElement().satisfies(p -> assertThat(p).endsWith(
                "operation.json at /post_conditions/0/query: parameter ':mail' is not a declared field (fields: email, "
                        + "role, team)"));
    }

    @Test
    void postConditionsNeedATarget() {
        assertThat(problems(def -> def.remove("target"))).anySatisfy(p -> assertThat(p).endsWith(
                "at /post_conditions: post-conditions query the operation's target, so 'target' (its database) is "
                        + "required"));
    }

    @Test
    void badGatesAreNamed() {
        List<String> problems = problems(def -> def.set("gates", Json.parse(
                "{\"failure_ratio\": {\"min_sample\": 0, \"threshold\": 0.1}, \"destructive_output\": {\"allowed\": "
                        + "\"no\"}, \"flood\": {}}")));
        assertThat(problems).anySatisfy(p -> assertThat(p).endsWith("at /gates: unknown key 'flood' (known: "
                + "destructive_output, failure_ratio)"));
        assertThat(problems).anySatisfy(p -> assertThat(p).endsWith("at /gates/failure_ratio: unknown key 'threshold' "
                + "(known: min_sample)"));
        assertThat(problems).anySatisfy(p -> assertThat(p).endsWith("at /gates/failure_ratio/min_sample: must be a whole "
                + "number of at least 1 (found 0)"));
        assertThat(problems).anySatisfy(p -> assertThat(p).endsWith("at /gates/destructive_output/allowed: must be true "
                + "or false (found \"no\")"));
    }

    @Test
    void anOutputSchemaThatBreaksStrictModeIsRefusedWithTheFileAndPointer() throws Exception {
        Path dir = TestOperations.copy("user-provisioning", def -> {
        });
        Path schema = dir.resolve("output-schema.json");
        ObjectNode s = (ObjectNode) Json.mapper().readTree(schema.toFile());
        ((ObjectNode) s.path("properties")).putObject("details").put("type", "object")
                .putObject("properties").putObject("why").put("type", "string");
        ((ObjectNode) s.path("properties")).putObject("extra").set("oneOf", Json.parse("[{\"type\":\"string\"}]"));
        Files.writeString(schema, Json.pretty(s));
        assertThatThrownBy(() -> OperationCatalog.loadOne(dir))
                .isInstanceOfSatisfying(OperationDefinitionException.class, e -> assertThat(e.problems()).contains(
                        schema + " at /properties/details: property 'details' must be listed in \"required\" (strict "
                                + "mode; make it nullable instead of optional)",
                        schema + " at /properties/details: an object must declare \"additionalProperties\": false",
                        schema + " at /properties/details/properties/why: property 'why' must be listed in "
                                + "\"required\" (strict mode; make it nullable instead of optional)",
                        schema + " at /properties/extra: keyword 'oneOf' is not supported by OpenAI strict mode"));
    }

    @Test
    void valuesAreBoundAsQuotedLiteralsOutsideStringsCommentsAndQuotedNames() {
        SqlTemplate t = SqlTemplate.of("SELECT ':email' AS a, \":email\" AS b /* :email */ FROM users -- :email\n"
                + "WHERE email = :email AND team = :team;");
        assertThat(t.parameters()).containsExactly("email", "team");
        assertThat(t.bind(Map.of("email", "o'brien@example.com", "team", "x")::get)).isEqualTo(
                "SELECT ':email' AS a, \":email\" AS b /* :email */ FROM users -- :email\n"
                        + "WHERE email = 'o''brien@example.com' AND team = 'x';");
        assertThat(t.bind(f -> null)).endsWith("WHERE email = NULL AND team = NULL;");
        assertThatThrownBy(() -> t.bind(f -> "a\0b")).hasMessageContaining("NUL");
        assertThatThrownBy(() -> SqlTemplate.of("SELECT 'unclosed")).hasMessageContaining("string literal starting at "
                + "offset 7 is not closed");
        assertThat(SqlTemplate.of("WITH x AS (SELECT 1) SELECT * FROM x -- fine\n").parameters()).isEmpty();
    }
}
