package io.verops.it;

import static io.verops.it.DeploymentFiles.get;
import static io.verops.it.DeploymentFiles.list;
import static io.verops.it.DeploymentFiles.map;
import static io.verops.it.DeploymentFiles.maps;
import static io.verops.it.DeploymentFiles.path;
import static io.verops.it.DeploymentFiles.quantity;
import static io.verops.it.DeploymentFiles.str;
import static org.assertj.core.api.Assertions.assertThat;

import io.verops.executor.service.ExecutorRuntime;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/** The Kubernetes manifests of deploy/ (a kustomize base, an example overlay, a component), checked statically. */
class DeploymentKubernetesTest {
    private static final Path BASE = path("deploy/base");
    private static final Path OVERLAY = path("deploy/overlays/example");
    private static final Path COMPONENT = path("deploy/components/supplied-signing-key");
    /** What one codex run takes (measured), and a floor for the JVM beside the codex processes. */
    private static final BigDecimal CODEX_RUN_MEMORY = BigDecimal.valueOf(146_000_000L);
    private static final BigDecimal JVM_MEMORY = quantity("256Mi");
    private static final String KAFKA_CLIENT = "verops.kafka.client.";

    private static Map<String, Object> kustomization(Path dir) {
        return DeploymentFiles.yamlMap(dir.resolve("kustomization.yaml"));
    }

    /** The resources a kustomization lists, read from their files (bases followed). */
    private static List<Map<String, Object>> resources(Path dir) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object r : list(kustomization(dir).get("resources"))) {
            Path p = dir.resolve(String.valueOf(r)).normalize();
            out.addAll(Files.isDirectory(p) ? resources(p) : DeploymentFiles.yamlDocuments(p));
        }
        return out;
    }

    private static final List<Map<String, Object>> BASE_RESOURCES = resources(BASE);

    private static List<Map<String, Object>> base() {
        return BASE_RESOURCES;
    }

    private static List<Map<String, Object>> ofKind(String kind) {
        return base().stream().filter(r -> kind.equals(r.get("kind"))).toList();
    }

    private static Map<String, Object> named(String kind, String name) {
        return ofKind(kind).stream().filter(r -> name.equals(get(r, "metadata", "name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + "/" + name + " in deploy/base"));
    }

    private static Map<String, Object> podLabels(Map<String, Object> deployment) {
        return map(get(deployment, "spec", "template", "metadata", "labels"));
    }

    private static Map<String, Object> podSpec(Map<String, Object> deployment) {
        return map(get(deployment, "spec", "template", "spec"));
    }

    private static List<Map<String, Object>> containers(Map<String, Object> deployment) {
        return maps(podSpec(deployment).get("containers"));
    }

    private static boolean selects(Map<String, Object> matchLabels, Map<String, Object> labels) {
        return !matchLabels.isEmpty() && labels.entrySet().containsAll(matchLabels.entrySet());
    }

    private static List<Map<String, Object>> selected(Map<String, Object> matchLabels) {
        return ofKind("Deployment").stream().filter(d -> selects(matchLabels, podLabels(d))).toList();
    }

    /** The service module a container runs: its image is {@code <registry>/verops/<module>:<tag>}. */
    private static String module(Map<String, Object> container) {
        String repository = DeploymentFiles.imageParts(str(container.get("image")))[0];
        return repository.substring(repository.lastIndexOf('/') + 1);
    }

    /** The container port a probe or Service port names (by number or by name). */
    private static Integer resolvePort(Map<String, Object> container, Object port) {
        for (Map<String, Object> p : maps(container.get("ports"))) {
            if (String.valueOf(port).equals(str(p.get("name"))) || String.valueOf(port).equals(str(p.get("containerPort")))) {
                return Integer.valueOf(str(p.get("containerPort")));
            }
        }
        return null;
    }

    private static Map<String, Object> configMapData(String name) {
        return map(named("ConfigMap", name).get("data"));
    }

    /** The Secrets the example overlay generates: name to keys. */
    private static Map<String, Set<String>> overlaySecrets() {
        Map<String, Set<String>> secrets = new LinkedHashMap<>();
        for (Map<String, Object> g : maps(kustomization(OVERLAY).get("secretGenerator"))) {
            Set<String> keys = new TreeSet<>();
            for (Object literal : list(g.get("literals"))) {
                String l = String.valueOf(literal);
                keys.add(l.substring(0, l.indexOf('=')));
            }
            secrets.put(str(g.get("name")), keys);
        }
        return secrets;
    }

    /** Every environment variable a container gets: its own, and the keys of its ConfigMaps and Secrets. */
    private static Set<String> environment(Map<String, Object> container) {
        Set<String> names = new LinkedHashSet<>();
        maps(container.get("env")).forEach(e -> names.add(str(e.get("name"))));
        for (Map<String, Object> from : maps(container.get("envFrom"))) {
            if (from.containsKey("configMapRef")) {
                names.addAll(DeploymentFiles.keysOf(configMapData(str(get(from, "configMapRef", "name")))));
            }
            if (from.containsKey("secretRef")) {
                names.addAll(overlaySecrets().getOrDefault(str(get(from, "secretRef", "name")), Set.of()));
            }
        }
        return names;
    }

    private static String env(Map<String, Object> container, String name) {
        for (Map<String, Object> e : maps(container.get("env"))) {
            if (name.equals(e.get("name"))) {
                return str(e.get("value"));
            }
        }
        return null;
    }

    /** The verops home (and working directory) of the image a container runs. */
    private static String home(Map<String, Object> container) {
        return DeploymentFiles.envInstructions(DeploymentFiles.finalStage(path(module(container) + "/Dockerfile")))
                .get("VEROPS_HOME");
    }

    private static Map<String, Object> volume(Map<String, Object> deployment, String name) {
        return maps(podSpec(deployment).get("volumes")).stream().filter(v -> name.equals(v.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError(DeploymentFiles.describe(deployment) + " has no volume " + name));
    }

    /** The volume of a deployment mounted at {@code mountPath} in its container. */
    private static Map<String, Object> mountedAt(Map<String, Object> deployment, Map<String, Object> container,
                                                 String mountPath) {
        for (Map<String, Object> m : maps(container.get("volumeMounts"))) {
            if (mountPath.equals(m.get("mountPath"))) {
                return volume(deployment, str(m.get("name")));
            }
        }
        return null;
    }

    private static int portOf(String hostPort) {
        String last = hostPort.contains(",") ? hostPort.substring(0, hostPort.indexOf(',')) : hostPort;
        return Integer.parseInt(last.substring(last.lastIndexOf(':') + 1));
    }

    private static Map<String, Object> scaledObject() {
        return named("ScaledObject", "verops-executor");
    }

    private static Map<String, Object> kafkaTrigger(Map<String, Object> scaledObject) {
        return maps(get(scaledObject, "spec", "triggers")).stream().filter(t -> "kafka".equals(t.get("type")))
                .findFirst().orElseThrow();
    }

    @Test
    void everyResourceOfTheBaseExistsParsesAndEveryManifestIsListed() throws IOException {
        List<Object> listed = list(kustomization(BASE).get("resources"));
        for (Object r : listed) {
            assertThat(BASE.resolve(String.valueOf(r))).as("resource %s", r).isRegularFile();
            assertThat(DeploymentFiles.yamlDocuments(BASE.resolve(String.valueOf(r)))).as("resource %s", r)
                    .isNotEmpty().allSatisfy(d -> assertThat(d).containsKeys("apiVersion", "kind", "metadata"));
        }
        try (Stream<Path> files = Files.list(BASE)) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".yaml"))
                    .filter(f -> !f.equals("kustomization.yaml"))).allMatch(f -> listed.contains(f));
        }
        assertThat(ofKind("Deployment")).extracting(d -> module(containers(d).get(0)))
                .containsExactlyInAnyOrderElementsOf(DeploymentFiles.SERVICES);
    }

    @Test
    void everyDeploymentHasAServiceABudgetAndAnIngressPolicyThatSelectItsPods() {
        for (Map<String, Object> d : ofKind("Deployment")) {
            String what = DeploymentFiles.describe(d);
            assertThat(podLabels(d)).as(what).containsEntry("app.kubernetes.io/part-of", "verops");
            assertThat(selects(map(get(d, "spec", "selector", "matchLabels")), podLabels(d))).as(what).isTrue();
            Map<String, Object> container = containers(d).get(0);
            int port = DeploymentFiles.httpPort(module(container));

            List<Map<String, Object>> services = ofKind("Service").stream()
                    .filter(s -> selects(map(get(s, "spec", "selector")), podLabels(d))).toList();
            assertThat(services).as("Services of %s", what).hasSize(1);
            for (Map<String, Object> p : maps(get(services.get(0), "spec", "ports"))) {
                assertThat(resolvePort(container, p.get("targetPort"))).as("targetPort of the Service of %s", what)
                        .isEqualTo(port);
                assertThat(p.get("port")).isEqualTo(port);
            }
            assertThat(ofKind("PodDisruptionBudget"))
                    .filteredOn(b -> selects(map(get(b, "spec", "selector", "matchLabels")), podLabels(d)))
                    .as("PodDisruptionBudgets of %s", what).hasSize(1);
            assertThat(ofKind("NetworkPolicy"))
                    .filteredOn(n -> selects(map(get(n, "spec", "podSelector", "matchLabels")), podLabels(d)))
                    .flatExtracting(n -> maps(get(n, "spec", "ingress")))
                    .flatExtracting(rule -> maps(rule.get("ports")))
                    .as("ports the network policies open to %s", what)
                    .anySatisfy(p -> assertThat(resolvePort(container, p.get("port"))).isEqualTo(port));
        }
        for (String kind : List.of("Service", "PodDisruptionBudget")) {
            for (Map<String, Object> r : ofKind(kind)) {
                Map<String, Object> selector = kind.equals("Service") ? map(get(r, "spec", "selector"))
                        : map(get(r, "spec", "selector", "matchLabels"));
                assertThat(selected(selector)).as("Deployments %s selects", DeploymentFiles.describe(r)).hasSize(1);
                assertThat(get(r, "metadata", "name")).isEqualTo(get(selected(selector).get(0), "metadata", "name"));
            }
        }
        for (Map<String, Object> n : ofKind("NetworkPolicy")) {
            Map<String, Object> selector = map(get(n, "spec", "podSelector", "matchLabels"));
            if (!selector.isEmpty()) {
                assertThat(selected(selector)).as("pods %s selects", DeploymentFiles.describe(n)).isNotEmpty();
            }
        }
    }

    @Test
    void probesAskTheHealthEndpointsOnTheDeclaredPort() {
        for (Map<String, Object> d : ofKind("Deployment")) {
            for (Map<String, Object> c : containers(d)) {
                int port = DeploymentFiles.httpPort(module(c));
                assertThat(resolvePort(c, port)).as("%s declares its port", DeploymentFiles.describe(d)).isEqualTo(port);
                Map<String, String> paths = Map.of("livenessProbe", "/q/health/live", "readinessProbe",
                        "/q/health/ready", "startupProbe", "/q/health/live");
                for (Map.Entry<String, String> probe : paths.entrySet()) {
                    Map<String, Object> httpGet = map(get(c, probe.getKey(), "httpGet"));
                    if (probe.getKey().equals("startupProbe") && !c.containsKey("startupProbe")) {
                        continue;
                    }
                    assertThat(httpGet.get("path")).as("%s of %s", probe.getKey(), DeploymentFiles.describe(d))
                            .isEqualTo(probe.getValue());
                    assertThat(resolvePort(c, httpGet.get("port"))).as("%s port", probe.getKey()).isEqualTo(port);
                }
                Map<String, Object> annotations = map(get(d, "spec", "template", "metadata", "annotations"));
                assertThat(annotations).containsEntry("prometheus.io/path", "/q/metrics")
                        .containsEntry("prometheus.io/port", String.valueOf(port));
            }
        }
    }

    @Test
    void everyContainerHasResourcesAndARestrictedSecurityContext() {
        for (Map<String, Object> d : ofKind("Deployment")) {
            Map<String, Object> pod = map(podSpec(d).get("securityContext"));
            for (Map<String, Object> c : containers(d)) {
                String what = DeploymentFiles.describe(d) + " container " + c.get("name");
                for (String resource : List.of("cpu", "memory")) {
                    Object request = get(c, "resources", "requests", resource);
                    Object limit = get(c, "resources", "limits", resource);
                    assertThat(request).as("%s requests %s", what, resource).isNotNull();
                    assertThat(limit).as("%s limits %s", what, resource).isNotNull();
                    assertThat(quantity(limit)).as("%s: %s limit", what, resource).isGreaterThanOrEqualTo(quantity(request));
                }
                Map<String, Object> sc = map(c.get("securityContext"));
                assertThat(Objects.requireNonNullElse(sc.get("runAsNonRoot"), pod.get("runAsNonRoot"))).as(what)
                        .isEqualTo(true);
                assertThat(sc.get("allowPrivilegeEscalation")).as(what).isEqualTo(false);
                assertThat(sc.get("readOnlyRootFilesystem")).as(what).isEqualTo(true);
                assertThat(list(get(sc, "capabilities", "drop"))).as(what).containsExactly("ALL");
                assertThat(list(get(sc, "capabilities", "add"))).as(what).isEmpty();
                assertThat(sc.get("privileged")).as(what).isNotEqualTo(true);
                Object seccomp = Objects.requireNonNullElse(get(sc, "seccompProfile", "type"),
                        get(pod, "seccompProfile", "type"));
                assertThat(seccomp).as(what).isEqualTo("RuntimeDefault");
                // every mount has its volume, and what the volume names exists
                for (Map<String, Object> m : maps(c.get("volumeMounts"))) {
                    Map<String, Object> v = volume(d, str(m.get("name")));
                    if (v.containsKey("persistentVolumeClaim")) {
                        named("PersistentVolumeClaim", str(get(v, "persistentVolumeClaim", "claimName")));
                    }
                    if (v.containsKey("configMap")) {
                        named("ConfigMap", str(get(v, "configMap", "name")));
                    }
                }
                // the only writable places: /tmp and the volumes that hold data
                assertThat(maps(c.get("volumeMounts"))).extracting(m -> str(m.get("mountPath"))).contains("/tmp");
            }
            assertThat(podSpec(d).get("automountServiceAccountToken")).isEqualTo(false);
        }
    }

    @Test
    void everyEnvironmentVariableSetsARealConfigurationKey() {
        for (Map<String, Object> d : ofKind("Deployment")) {
            for (Map<String, Object> c : containers(d)) {
                String configFile = null;
                Map<String, Object> config = mountedAt(d, c, home(c) + "/config");
                if (config != null) {
                    String data = str(configMapData(str(get(config, "configMap", "name"))).get("application.properties"));
                    assertThat(data).as("config/application.properties of %s", DeploymentFiles.describe(d)).isNotNull();
                    configFile = data;
                }
                assertThat(DeploymentFiles.unknownVariables(environment(c), DeploymentFiles.nonKeyVariables(configFile)))
                        .as("variables of %s that set no key of docs/services.md (nor one of "
                                + "DeploymentFiles.KEYS_OUTSIDE_THE_TABLE, nor one its config file names)",
                                DeploymentFiles.describe(d))
                        .isEmpty();
            }
        }
        List<Pattern> documented = DeploymentFiles.documentedKeys().keySet().stream()
                .map(k -> Pattern.compile(Pattern.quote(k).replaceAll("<[^>]+>", "\\\\E.+\\\\Q"))).toList();
        Set<String> clientProperties = new TreeSet<>(ProducerConfig.configNames());
        clientProperties.addAll(ConsumerConfig.configNames());
        clientProperties.addAll(AdminClientConfig.configNames());
        for (Map<String, Object> cm : ofKind("ConfigMap")) {
            Object properties = map(cm.get("data")).get("application.properties");
            if (properties != null) {
                assertThat(DeploymentFiles.propertyKeys(String.valueOf(properties)))
                        .allSatisfy(k -> assertThat(documented).as("documented key for %s", k)
                                .anyMatch(p -> p.matcher(k).matches()))
                        .filteredOn(k -> k.startsWith(KAFKA_CLIENT))
                        .allSatisfy(k -> assertThat(clientProperties).as("Kafka client properties")
                                .contains(k.substring(KAFKA_CLIENT.length())));
            }
        }
    }

    @Test
    void everySecretTheManifestsNameIsSuppliedByTheExampleOverlay() {
        Map<String, Set<String>> secrets = overlaySecrets();
        List<String[]> references = new ArrayList<>();
        for (Map<String, Object> d : ofKind("Deployment")) {
            for (Map<String, Object> c : containers(d)) {
                for (Map<String, Object> e : maps(c.get("env"))) {
                    Map<String, Object> ref = map(get(e, "valueFrom", "secretKeyRef"));
                    if (!ref.isEmpty()) {
                        references.add(new String[] {str(ref.get("name")), str(ref.get("key"))});
                    }
                }
                for (Map<String, Object> from : maps(c.get("envFrom"))) {
                    if (from.containsKey("secretRef")) {
                        references.add(new String[] {str(get(from, "secretRef", "name")), null});
                    }
                }
            }
        }
        for (Map<String, Object> auth : ofKind("TriggerAuthentication")) {
            for (Map<String, Object> ref : maps(get(auth, "spec", "secretTargetRef"))) {
                references.add(new String[] {str(ref.get("name")), str(ref.get("key"))});
            }
        }
        assertThat(references).isNotEmpty();
        for (String[] r : references) {
            assertThat(secrets).as("Secrets of the example overlay").containsKey(r[0]);
            if (r[1] != null) {
                assertThat(secrets.get(r[0])).as("keys of Secret %s", r[0]).contains(r[1]);
            }
        }
        assertThat(secrets.get("verops-api-keys")).allSatisfy(k -> assertThat(DeploymentFiles.keyOf(k)).isPresent());
        assertThat(ofKind("Secret")).as("no Secret in the base").isEmpty();
    }

    @Test
    void kedaScalesTheExecutorOnTheItemsLagAndNeverBeyondThePartitions() {
        Map<String, Object> so = scaledObject();
        Map<String, Object> executor = named("Deployment", str(get(so, "spec", "scaleTargetRef", "name")));
        assertThat(module(containers(executor).get(0))).isEqualTo("executor-service");
        Map<String, Object> config = configMapData("verops-config");
        Map<String, Object> trigger = kafkaTrigger(so);
        Map<String, Object> metadata = map(trigger.get("metadata"));
        assertThat(metadata.get("topic")).isEqualTo(config.get("VEROPS_KAFKA_TOPIC_PREFIX") + "items");
        assertThat(metadata.get("consumerGroup")).isEqualTo(ExecutorRuntime.GROUP_ID);
        assertThat(metadata.get("bootstrapServers")).isEqualTo(config.get("KAFKA_BOOTSTRAP_SERVERS"));
        assertThat(metadata.get("offsetResetPolicy")).as("the executors' auto.offset.reset").isEqualTo("earliest");
        named("TriggerAuthentication", str(get(trigger, "authenticationRef", "name")));

        int partitions = Integer.parseInt(String.valueOf(config.getOrDefault("VEROPS_KAFKA_PARTITIONS",
                DeploymentFiles.documentedKeys().get("verops.kafka.partitions"))));
        int max = ((Number) get(so, "spec", "maxReplicaCount")).intValue();
        assertThat(max).as("maxReplicaCount: at most the partitions of the items topic").isBetween(1, partitions);
        assertThat(((Number) get(so, "spec", "minReplicaCount")).intValue())
                .as("minReplicaCount: the executor runs the approval coordinator too").isGreaterThanOrEqualTo(1);
        assertThat(str(get(so, "spec", "scaleTargetRef", "kind"))).isIn(null, "Deployment");

        // the example overlay points the services and KEDA at one and the same cluster
        Map<String, Object> configPatch = DeploymentFiles.yamlMap(OVERLAY.resolve("kafka-patch.yaml"));
        Map<String, Object> soPatch = DeploymentFiles.yamlMap(OVERLAY.resolve("executor-autoscaling-patch.yaml"));
        assertThat(get(kafkaTrigger(soPatch), "metadata", "bootstrapServers"))
                .isEqualTo(get(configPatch, "data", "KAFKA_BOOTSTRAP_SERVERS"));
        assertThat(map(kafkaTrigger(soPatch).get("metadata"))).containsAllEntriesOf(
                Map.of("topic", metadata.get("topic"), "consumerGroup", metadata.get("consumerGroup")));
    }

    @Test
    void theExecutorsMemoryCoversItsConcurrentCodexRuns() {
        Map<String, Object> executor = named("Deployment", "verops-executor");
        Map<String, Object> c = containers(executor).get(0);
        int concurrency = Integer.parseInt(env(c, "VEROPS_EXECUTOR_CONCURRENCY",
                DeploymentFiles.documentedKeys().get("verops.executor.concurrency")));
        BigDecimal needed = CODEX_RUN_MEMORY.multiply(BigDecimal.valueOf(concurrency)).add(JVM_MEMORY);
        assertThat(quantity(get(c, "resources", "requests", "memory"))).isGreaterThanOrEqualTo(needed);
        // KEDA's lag threshold (items per replica) keeps every codex slot of a replica busy
        int lagThreshold = Integer.parseInt(str(get(kafkaTrigger(scaledObject()), "metadata", "lagThreshold")));
        assertThat(lagThreshold).isGreaterThanOrEqualTo(concurrency);
        assertThat(env(c, "VEROPS_EXECUTOR_WORK_DIR")).isNotNull();
        assertThat(mountedAt(executor, c, env(c, "VEROPS_EXECUTOR_WORK_DIR"))).as("the work dir is a volume")
                .containsKey("emptyDir");
    }

    private static String env(Map<String, Object> container, String name, String otherwise) {
        String v = env(container, name);
        return v == null ? otherwise : v;
    }

    @Test
    void theExecutorsAndVerifiersShareTheSqliteTargetsOfTheOperations() {
        for (String target : DeploymentFiles.targetFolders()) {
            Set<String> claims = new TreeSet<>();
            for (String name : List.of("verops-executor", "verops-verifier")) {
                Map<String, Object> d = named("Deployment", name);
                Map<String, Object> c = containers(d).get(0);
                Map<String, Object> v = mountedAt(d, c, home(c) + "/" + target);
                assertThat(v).as("%s mounts %s", name, target).isNotNull();
                claims.add(str(get(v, "persistentVolumeClaim", "claimName")));
            }
            assertThat(claims).hasSize(1).doesNotContainNull();
            assertThat(list(get(named("PersistentVolumeClaim", claims.iterator().next()), "spec", "accessModes")))
                    .contains("ReadWriteMany");
        }
    }

    @Test
    void theArchiverIsOneReplicaThatIsNeverRunTwiceAndKeepsItsDataOnAVolume() {
        Map<String, Object> archiver = named("Deployment", "verops-archiver");
        assertThat(get(archiver, "spec", "replicas")).isEqualTo(1);
        assertThat(get(archiver, "spec", "strategy", "type")).isEqualTo("Recreate");
        assertThat(ofKind("ScaledObject")).noneMatch(s -> "verops-archiver".equals(get(s, "spec", "scaleTargetRef", "name")));
        Map<String, Object> budget = named("PodDisruptionBudget", "verops-archiver");
        assertThat(get(budget, "spec", "minAvailable")).as("a single replica with minAvailable 1 blocks every drain")
                .isNull();
        Map<String, Object> c = containers(archiver).get(0);
        for (String key : List.of("VEROPS_ARCHIVER_REPORTS_DIR", "VEROPS_KEYS_DIR")) {
            String dir = env(c, key);
            assertThat(dir).as(key).isNotNull();
            Map<String, Object> mount = maps(c.get("volumeMounts")).stream()
                    .filter(m -> dir.startsWith(m.get("mountPath") + "/")).findFirst().orElseThrow();
            Map<String, Object> v = volume(archiver, str(mount.get("name")));
            Map<String, Object> claim = named("PersistentVolumeClaim", str(get(v, "persistentVolumeClaim", "claimName")));
            assertThat(list(get(claim, "spec", "accessModes"))).containsExactly("ReadWriteOnce");
        }
    }

    @Test
    void networkPoliciesDenyByDefaultAndLetTheServicesReachKafkaTheCollectorDnsAndTheModel() {
        List<Map<String, Object>> policies = ofKind("NetworkPolicy");
        assertThat(policies).anySatisfy(p -> {
            assertThat(map(get(p, "spec", "podSelector"))).isEmpty();
            assertThat(list(get(p, "spec", "policyTypes"))).containsExactlyInAnyOrder("Ingress", "Egress");
            assertThat(get(p, "spec", "ingress")).isNull();
            assertThat(get(p, "spec", "egress")).isNull();
        });
        Map<String, Object> config = configMapData("verops-config");
        Map<String, Object> overlayConfig = map(DeploymentFiles.yamlMap(OVERLAY.resolve("kafka-patch.yaml")).get("data"));
        Set<Integer> kafkaPorts = new TreeSet<>(List.of(portOf(str(config.get("KAFKA_BOOTSTRAP_SERVERS"))),
                portOf(str(overlayConfig.get("KAFKA_BOOTSTRAP_SERVERS")))));
        int otlp = portOf(str(config.get("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT")));
        for (Map<String, Object> d : ofKind("Deployment")) {
            Set<Integer> egress = new TreeSet<>();
            for (Map<String, Object> p : policies) {
                Map<String, Object> selector = map(get(p, "spec", "podSelector", "matchLabels"));
                if (selects(selector, podLabels(d))) {
                    for (Map<String, Object> rule : maps(get(p, "spec", "egress"))) {
                        maps(rule.get("ports")).forEach(port -> egress.add(((Number) port.get("port")).intValue()));
                    }
                }
            }
            assertThat(egress).as("egress ports of %s", DeploymentFiles.describe(d)).contains(53, otlp)
                    .containsAll(kafkaPorts);
            if (get(d, "metadata", "name").equals("verops-executor")) {
                assertThat(egress).as("the executor reaches the model API").contains(443);
            } else {
                assertThat(egress).as("only the executor reaches the model API").doesNotContain(443);
            }
        }
    }

    @Test
    void imagesAreThoseComposeBuildsAndTheOverlayRenamesThem() {
        Map<String, Object> compose = map(DeploymentFiles.yamlMap(path("docker-compose.yml")).get("services"));
        Set<String> baseImages = new TreeSet<>();
        for (Map<String, Object> d : ofKind("Deployment")) {
            for (Map<String, Object> c : containers(d)) {
                String image = str(c.get("image"));
                assertThat(image).matches(DeploymentFiles::pinned, "a tag other than latest");
                assertThat(image).isEqualTo(str(map(compose.get(module(c))).get("image")));
                baseImages.add(DeploymentFiles.imageParts(image)[0]);
            }
        }
        List<Map<String, Object>> images = maps(kustomization(OVERLAY).get("images"));
        assertThat(images).extracting(i -> str(i.get("name"))).containsExactlyInAnyOrderElementsOf(baseImages);
        assertThat(images).allSatisfy(i -> assertThat(str(i.get("newTag"))).isNotBlank().isNotEqualTo("latest"));
    }

    @Test
    void theOverlayAndTheComponentPatchResourcesOfTheBase() {
        Map<String, Object> overlay = kustomization(OVERLAY);
        for (Object r : list(overlay.get("resources"))) {
            assertThat(OVERLAY.resolve(String.valueOf(r)).normalize()).exists();
        }
        for (Map<String, Object> p : maps(overlay.get("patches"))) {
            Map<String, Object> patch = DeploymentFiles.yamlMap(OVERLAY.resolve(str(p.get("path"))));
            named(str(patch.get("kind")), str(get(patch, "metadata", "name")));
        }
        Map<String, Object> component = kustomization(COMPONENT);
        assertThat(component.get("kind")).isEqualTo("Component");
        assertThat(DeploymentFiles.read(OVERLAY.resolve("kustomization.yaml")))
                .as("the overlay shows how to add the component").contains("../../components/supplied-signing-key");
        for (Map<String, Object> p : maps(component.get("patches"))) {
            Map<String, Object> patch = DeploymentFiles.yamlMap(COMPONENT.resolve(str(p.get("path"))));
            Map<String, Object> target = named(str(patch.get("kind")), str(get(patch, "metadata", "name")));
            Map<String, Object> container = containers(patch).get(0);
            assertThat(containers(target)).extracting(c -> c.get("name")).contains(container.get("name"));
            assertThat(DeploymentFiles.unknownVariables(environment(container), Set.of())).isEmpty();
            String key = env(container, "VEROPS_SIGNING_KEY");
            Map<String, Object> mount = maps(container.get("volumeMounts")).get(0);
            assertThat(key).startsWith(mount.get("mountPath") + "/");
            Map<String, Object> secret = map(maps(podSpec(patch).get("volumes")).get(0).get("secret"));
            assertThat(maps(secret.get("items"))).anySatisfy(i -> assertThat(key).endsWith("/" + i.get("path")));
        }
    }
}
