package io.verops.it;

import static io.verops.it.DeploymentFiles.SERVICES;
import static io.verops.it.DeploymentFiles.get;
import static io.verops.it.DeploymentFiles.httpPort;
import static io.verops.it.DeploymentFiles.list;
import static io.verops.it.DeploymentFiles.map;
import static io.verops.it.DeploymentFiles.maps;
import static io.verops.it.DeploymentFiles.path;
import static io.verops.it.DeploymentFiles.read;
import static io.verops.it.DeploymentFiles.str;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** docker-compose.yml, the service images and the configuration files they mount, checked without Docker. */
class DeploymentComposeTest {
    private static final Path COMPOSE = path("docker-compose.yml");
    private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-?+][^}]*)?}");
    private static final String OTLP_ENDPOINT = "QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT";

    private static Map<String, Object> compose() {
        return DeploymentFiles.yamlMap(COMPOSE);
    }

    private static Map<String, Object> services() {
        return map(compose().get("services"));
    }

    private static Map<String, Object> service(String name) {
        Map<String, Object> s = map(services().get(name));
        assertThat(s).as("service %s of docker-compose.yml", name).isNotEmpty();
        return s;
    }

    /** A service's environment, whether written as a map or as a list of NAME=value. */
    private static Map<String, String> environment(Map<String, Object> service) {
        Map<String, String> env = new LinkedHashMap<>();
        Object e = service.get("environment");
        if (e instanceof Map<?, ?> m) {
            m.forEach((k, v) -> env.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        } else {
            for (Object item : list(e)) {
                String s = String.valueOf(item);
                int eq = s.indexOf('=');
                env.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : s.substring(eq + 1));
            }
        }
        return env;
    }

    /** The bind mounts and named volumes of a service: [source, target]. */
    private static List<String[]> volumes(Map<String, Object> service) {
        List<String[]> out = new ArrayList<>();
        for (Object v : list(service.get("volumes"))) {
            if (v instanceof Map<?, ?> m) {
                out.add(new String[] {str(m.get("source")), str(m.get("target"))});
            } else {
                String[] parts = String.valueOf(v).split(":");
                out.add(new String[] {parts[0], parts[1]});
            }
        }
        return out;
    }

    @Test
    void composeRunsKafkaTheFourServicesAndTheObservabilityStack() {
        assertThat(services()).containsKeys(SERVICES.toArray(String[]::new));
        assertThat(services()).containsKeys("kafka", "otel-collector", "jaeger", "prometheus", "grafana");
    }

    @ParameterizedTest
    @FieldSource("io.verops.it.DeploymentFiles#SERVICES")
    void everyEnvironmentVariableOfAServiceSetsARealConfigurationKey(String name) {
        Map<String, String> env = environment(service(name));
        assertThat(env).as("environment of %s", name).containsKeys("KAFKA_BOOTSTRAP_SERVERS", OTLP_ENDPOINT);
        assertThat(DeploymentFiles.unknownVariables(env.keySet(), DeploymentFiles.nonKeyVariables(null)))
                .as("variables of %s that set no key of docs/services.md (nor one listed in "
                        + "DeploymentFiles.KEYS_OUTSIDE_THE_TABLE)", name)
                .isEmpty();
    }

    @Test
    void servicesReachKafkaOnItsComposeListenerAndKafkaIsTheReleaseTheClientsArePinnedTo() {
        Map<String, Object> kafka = service("kafka");
        assertThat(str(kafka.get("image"))).isEqualTo("apache/kafka:" + DeploymentFiles.pomProperty("kafka.version"));
        Map<String, String> env = environment(kafka);
        assertThat(env.get("KAFKA_PROCESS_ROLES")).isEqualTo("broker,controller");
        List<String> advertised = List.of(env.get("KAFKA_ADVERTISED_LISTENERS").split(","));
        for (String name : SERVICES) {
            String bootstrap = environment(service(name)).get("KAFKA_BOOTSTRAP_SERVERS");
            assertThat(advertised).as("Kafka's advertised listeners").anyMatch(l -> l.endsWith("//" + bootstrap));
            assertThat(map(get(service(name), "depends_on")).keySet()).contains("kafka");
        }
    }

    @Test
    void noTwoServicesPublishTheSameHostPort() {
        Map<String, String> byPort = new HashMap<>();
        services().forEach((name, s) -> {
            for (Object p : list(map(s).get("ports"))) {
                String hostPort;
                if (p instanceof Map<?, ?> m) {
                    hostPort = str(m.get("published"));
                } else {
                    String[] parts = String.valueOf(p).split(":");
                    assertThat(parts.length).as("port %s of %s names its host port", p, name).isGreaterThan(1);
                    hostPort = parts[parts.length - 2];
                }
                String other = byPort.put(hostPort, name);
                assertThat(other).as("host port %s of %s", hostPort, name).isNull();
            }
        });
        assertThat(byPort).isNotEmpty();
    }

    @Test
    void everyBuildContextDockerfileAndMountedFileExists() {
        Path dir = COMPOSE.getParent();
        services().forEach((name, s) -> {
            Map<String, Object> build = map(map(s).get("build"));
            if (!build.isEmpty()) {
                Path context = dir.resolve(str(build.get("context"))).normalize();
                assertThat(context).as("build context of %s", name).isDirectory();
                assertThat(context.resolve(str(build.getOrDefault("dockerfile", "Dockerfile"))))
                        .as("Dockerfile of %s", name).isRegularFile();
            }
            for (String[] v : volumes(map(s))) {
                if (v[0].startsWith(".") || v[0].startsWith("/")) {
                    assertThat(dir.resolve(v[0]).normalize()).as("file mounted into %s", name).exists();
                } else {
                    assertThat(map(compose().get("volumes"))).as("named volumes").containsKey(v[0]);
                }
            }
        });
    }

    @Test
    void everyImageIsPinned() {
        services().forEach((name, s) -> assertThat(str(map(s).get("image")))
                .as("image of %s", name).isNotNull().matches(DeploymentFiles::pinned, "a tag other than latest"));
        for (String module : SERVICES) {
            for (String i : DeploymentFiles.dockerfileInstructions(path(module + "/Dockerfile"))) {
                if (i.startsWith("FROM ")) {
                    assertThat(DeploymentFiles.arguments(i).get(0)).as("%s/Dockerfile: %s", module, i)
                            .matches(DeploymentFiles::pinned, "a tag other than latest");
                }
            }
        }
    }

    @ParameterizedTest
    @FieldSource("io.verops.it.DeploymentFiles#SERVICES")
    void aServiceIsBuiltFromItsModuleAndHealthyWhenReady(String name) {
        Map<String, Object> s = service(name);
        assertThat(str(get(s, "build", "dockerfile"))).isEqualTo(name + "/Dockerfile");
        assertThat(str(s.get("image"))).startsWith("verops/" + name + ":");
        int port = httpPort(name);
        assertThat(list(get(s, "healthcheck", "test")).stream().map(String::valueOf))
                .contains("http://localhost:" + port + "/q/health/ready");
        assertThat(list(s.get("ports")).stream().map(String::valueOf)).contains(port + ":" + port);
        assertThat(map(s.get("depends_on"))).containsKey("otel-collector");
    }

    @ParameterizedTest
    @FieldSource("io.verops.it.DeploymentFiles#SERVICES")
    void anImageRunsTheFastJarAsANonRootUserWithTheOperations(String module) {
        Path dockerfile = path(module + "/Dockerfile");
        List<String> stage = DeploymentFiles.finalStage(dockerfile);
        assertThat(DeploymentFiles.arguments(stage.get(0)).get(0))
                .matches("eclipse-temurin:17-jre.*|registry\\.access\\.redhat\\.com/ubi9/openjdk-17-runtime:.*");
        Set<String> copied = new TreeSet<>();
        for (String i : stage) {
            if (i.startsWith("COPY ") && !i.contains("--from=")) {
                List<String> args = DeploymentFiles.arguments(i).stream().filter(a -> !a.startsWith("--")).toList();
                for (String source : args.subList(0, args.size() - 1)) {
                    copied.add(source);
                    if (!source.contains("/target/")) {
                        assertThat(path(source)).as("%s copies %s", dockerfile, source).exists();
                    }
                    assertThat(dockerIgnoreLets(source)).as(".dockerignore lets %s into the build context", source)
                            .isTrue();
                }
            }
        }
        String app = module + "/target/quarkus-app/";
        assertThat(copied).contains("operations/", app + "lib/", app + "app/", app + "quarkus/",
                app + "quarkus-run.jar");
        String user = stage.stream().filter(i -> i.startsWith("USER ")).reduce((a, b) -> b).orElseThrow();
        assertThat(DeploymentFiles.arguments(user).get(0)).matches("[1-9][0-9]*(:[0-9]+)?");
        assertThat(stage).contains("EXPOSE " + httpPort(module));
        assertThat(stage.stream().filter(i -> i.startsWith("ENTRYPOINT ")).findFirst().orElseThrow())
                .contains("quarkus-run.jar");
        Map<String, String> env = DeploymentFiles.envInstructions(stage);
        String workdir = stage.stream().filter(i -> i.startsWith("WORKDIR ")).map(i -> DeploymentFiles.arguments(i).get(0))
                .reduce((a, b) -> b).orElseThrow();
        assertThat(env.get("VEROPS_HOME")).as("the verops home is the working directory (config/ is read there)")
                .isEqualTo(workdir);
        assertThat(DeploymentFiles.unknownVariables(env.keySet(), Set.of())).as("ENV of %s", dockerfile).isEmpty();
    }

    /** Whether the root .dockerignore (an allow-list: everything out, then exceptions) keeps {@code source}. */
    private static boolean dockerIgnoreLets(String source) {
        boolean kept = true;
        for (String line : read(path(".dockerignore")).split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            boolean exception = l.startsWith("!");
            String pattern = exception ? l.substring(1) : l;
            if (pattern.equals("**") || source.startsWith(pattern) || (source + "/").equals(pattern)) {
                kept = exception;
            }
        }
        return kept;
    }

    @Test
    void theExecutorImageHasThePinnedCodexNodeAndSqlite3() {
        List<String> all = DeploymentFiles.dockerfileInstructions(path("executor-service/Dockerfile"));
        Matcher pinned = Pattern.compile("CODEX_VERSION=\"?([0-9.]+)\"?").matcher(read(path("scripts/setup-tools.sh")));
        assertThat(pinned.find()).isTrue();
        assertThat(all).contains("ARG CODEX_VERSION=" + pinned.group(1));
        assertThat(String.join("\n", all)).contains("\"@openai/codex@${CODEX_VERSION}\"");
        List<String> stage = DeploymentFiles.finalStage(path("executor-service/Dockerfile"));
        String installs = stage.stream().filter(i -> i.startsWith("RUN ")).reduce("", String::concat);
        assertThat(installs).contains(" nodejs ").contains(" sqlite3 ");
        // where the documented default of verops.executor.codex-binary points, under the image's verops home
        String home = DeploymentFiles.envInstructions(stage).get("VEROPS_HOME");
        String codex = DeploymentFiles.documentedKeys().get("verops.executor.codex-binary")
                .replace("${verops.home}", home);
        String codexDir = codex.substring(0, codex.indexOf("/node_modules/"));
        assertThat(stage).anyMatch(i -> i.startsWith("COPY --from=") && i.endsWith(" " + codexDir + "/"));
    }

    @Test
    void theVerifierImageHasSqlite3ForThePostConditions() {
        List<String> stage = DeploymentFiles.finalStage(path("verifier-service/Dockerfile"));
        assertThat(stage.stream().filter(i -> i.startsWith("RUN ")).reduce("", String::concat)).contains(" sqlite3 ");
    }

    @Test
    void theExecutorAndTheVerifierShareTheSqliteTargetsOfTheOperations() {
        assertThat(DeploymentFiles.targetFolders()).isNotEmpty();
        String home = DeploymentFiles.envInstructions(DeploymentFiles.finalStage(path("executor-service/Dockerfile")))
                .get("VEROPS_HOME");
        for (String target : DeploymentFiles.targetFolders()) {
            String inHome = home + "/" + target;
            String executorVolume = volumes(service("executor-service")).stream().filter(v -> v[1].equals(inHome))
                    .map(v -> v[0]).findFirst().orElse(null);
            assertThat(executorVolume).as("executor volume at %s", inHome).isNotNull();
            assertThat(volumes(service("verifier-service"))).as("verifier volumes")
                    .anySatisfy(v -> assertThat(v).containsExactly(executorVolume, inHome));
        }
    }

    @Test
    void theArchiverKeepsItsBundlesAndKeyOnAVolume() {
        Map<String, Object> archiver = service("archiver-service");
        Map<String, String> env = environment(archiver);
        List<String> mounts = volumes(archiver).stream().map(v -> v[1]).toList();
        for (String key : List.of("VEROPS_ARCHIVER_REPORTS_DIR", "VEROPS_KEYS_DIR")) {
            assertThat(env).containsKey(key);
            assertThat(mounts).anyMatch(m -> env.get(key).startsWith(m + "/"));
        }
    }

    @Test
    void theExampleEnvironmentHoldsEveryVariableComposeUsesAndAnExampleKeyWithItsSha256() throws Exception {
        Properties example = new Properties();
        example.load(new java.io.StringReader(read(path(".env.example"))));
        Matcher m = INTERPOLATION.matcher(read(COMPOSE));
        Set<String> used = new TreeSet<>();
        while (m.find()) {
            used.add(m.group(1));
        }
        assertThat(used).isNotEmpty();
        assertThat(example.stringPropertyNames()).containsAll(used);
        String key = example.getProperty("VEROPS_COMPOSE_API_KEY");
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(key.getBytes(StandardCharsets.UTF_8)));
        assertThat(example.getProperty("VEROPS_COMPOSE_API_KEY_SHA256")).isEqualTo(sha);
        assertThat(example.getProperty("OPENAI_API_KEY")).as("no real model key in the example").isEmpty();
        assertThat(read(path(".gitignore")).lines()).contains(".env");
    }

    @Test
    void servicesSendTracesToTheCollectorWhichHandsThemToJaeger() {
        String endpoint = environment(service("ingest-service")).get(OTLP_ENDPOINT);
        for (String name : SERVICES) {
            assertThat(environment(service(name)).get(OTLP_ENDPOINT)).isEqualTo(endpoint);
        }
        assertThat(endpoint).isEqualTo("http://otel-collector:4317");
        Map<String, Object> collector = service("otel-collector");
        String config = volumes(collector).stream().filter(v -> v[0].startsWith("./")).map(v -> v[0]).findFirst()
                .orElseThrow();
        assertThat(config).isEqualTo("./deploy/compose/otel-collector.yaml");
        Map<String, Object> otel = DeploymentFiles.yamlMap(path("deploy/compose/otel-collector.yaml"));
        assertThat(str(get(otel, "receivers", "otlp", "protocols", "grpc", "endpoint"))).endsWith(":4317");
        for (Map.Entry<String, Object> pipeline : map(get(otel, "service", "pipelines")).entrySet()) {
            for (String kind : List.of("receivers", "processors", "exporters")) {
                for (Object component : list(map(pipeline.getValue()).get(kind))) {
                    assertThat(map(otel.get(kind))).as("%s of pipeline %s", kind, pipeline.getKey())
                            .containsKey(String.valueOf(component));
                }
            }
        }
        assertThat(map(otel.get("exporters")).values()).anySatisfy(e -> {
            String target = str(map(e).get("endpoint"));
            assertThat(target).isNotNull();
            assertThat(services()).containsKey(target.substring(0, target.indexOf(':')));
        });
        assertThat(list(get(otel, "service", "pipelines", "traces", "exporters"))).isNotEmpty();
    }

    @Test
    void prometheusScrapesTheMetricsOfTheFourServices() {
        Map<String, Object> prometheus = service("prometheus");
        assertThat(volumes(prometheus)).anySatisfy(v -> assertThat(v[0]).isEqualTo("./deploy/compose/prometheus.yml"));
        Map<String, Object> config = DeploymentFiles.yamlMap(path("deploy/compose/prometheus.yml"));
        Map<String, String> pathByTarget = new HashMap<>();
        for (Map<String, Object> job : maps(config.get("scrape_configs"))) {
            for (Map<String, Object> sc : maps(job.get("static_configs"))) {
                for (Object t : list(sc.get("targets"))) {
                    pathByTarget.put(String.valueOf(t), str(job.getOrDefault("metrics_path", "/metrics")));
                }
            }
        }
        for (String name : SERVICES) {
            assertThat(pathByTarget).containsEntry(name + ":" + httpPort(name), "/q/metrics");
        }
    }

    @Test
    void grafanaProvisionsThePrometheusDatasourceAndTheVeropsDashboard() throws Exception {
        Map<String, Object> grafana = service("grafana");
        List<String[]> mounts = volumes(grafana);
        String dashboardTarget = mounts.stream().filter(v -> v[0].equals("./deploy/grafana/verops-dashboard.json"))
                .map(v -> v[1]).findFirst().orElseThrow();
        Map<String, Object> datasources = DeploymentFiles.yamlMap(
                path("deploy/compose/grafana/provisioning/datasources/prometheus.yaml"));
        Map<String, Object> ds = maps(datasources.get("datasources")).get(0);
        assertThat(ds).containsEntry("type", "prometheus");
        assertThat(str(ds.get("url"))).isEqualTo("http://prometheus:9090");
        assertThat(list(service("prometheus").get("ports")).stream().map(String::valueOf)).contains("9090:9090");
        Map<String, Object> dashboards = DeploymentFiles.yamlMap(
                path("deploy/compose/grafana/provisioning/dashboards/verops.yaml"));
        String folder = str(get(maps(dashboards.get("providers")).get(0), "options", "path"));
        assertThat(dashboardTarget).startsWith(folder + "/");
        assertThat(mounts).anySatisfy(v -> assertThat(v).containsExactly(
                "./deploy/compose/grafana/provisioning/dashboards", "/etc/grafana/provisioning/dashboards"));
        assertThat(mounts).anySatisfy(v -> assertThat(v).containsExactly(
                "./deploy/compose/grafana/provisioning/datasources", "/etc/grafana/provisioning/datasources"));
        // the dashboard's data source variable defaults to the provisioned data source
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(path("deploy/grafana/verops-dashboard.json")));
        JsonNode variable = null;
        for (JsonNode v : dashboard.path("templating").path("list")) {
            if (v.path("type").asText().equals("datasource")) {
                variable = v;
            }
        }
        assertThat(variable).isNotNull();
        assertThat(variable.path("current").path("value").asText()).isEqualTo(str(ds.get("uid")));
    }
}
