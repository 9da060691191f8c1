package io.verops.it;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * What the deployment tests read: the checkout's files, YAML documents, the configuration keys that
 * docs/services.md documents, and each service's HTTP port from its own application.properties.
 */
final class DeploymentFiles {
    /** The four services: the module, the compose service and the image are all named so. */
    static final List<String> SERVICES = List.of("ingest-service", "executor-service", "verifier-service",
            "archiver-service");

    /**
     * Keys the deployment sets that the configuration table of docs/services.md does not list: Quarkus's own, and
     * the API keys of the services (roles submitter, approver, reader).
     */
    static final List<String> KEYS_OUTSIDE_THE_TABLE = List.of(
            "quarkus.otel.exporter.otlp.endpoint",
            "verops.auth.api-keys.<name>.sha256",
            "verops.auth.api-keys.<name>.roles");

    /** The documented key whose value names an environment variable that the executor passes on to codex. */
    static final String MODEL_ENV_KEY = "verops.executor.model.env-key";

    private static final Pattern DOCUMENTED_KEY = Pattern.compile("^\\|\\s*`((?:verops|kafka|quarkus)\\.[a-z0-9.<>-]+)`"
            + "\\s*\\|\\s*([^|]*)\\|");
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private DeploymentFiles() {
    }

    static Path root() {
        return Path.of(System.getProperty("verops.root", "..")).toAbsolutePath().normalize();
    }

    static Path path(String relative) {
        return root().resolve(relative);
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        return new Yaml(options);
    }

    /** The single YAML document of a file, as maps and lists (anchors and merge keys resolved). */
    static Map<String, Object> yamlMap(Path file) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Object doc = yaml().load(r);
            if (!(doc instanceof Map<?, ?>)) {
                throw new AssertionError(file + ": not a YAML mapping");
            }
            return map(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every non-empty document of a multi-document YAML file. */
    static List<Map<String, Object>> yamlDocuments(Path file) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : yaml().loadAll(read(file))) {
            if (doc == null) {
                continue;
            }
            if (!(doc instanceof Map<?, ?>)) {
                throw new AssertionError(file + ": a document that is not a YAML mapping");
            }
            docs.add(map(doc));
        }
        return docs;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return o == null ? Map.of() : (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return o == null ? List.of() : (List<Object>) o;
    }

    static List<Map<String, Object>> maps(Object o) {
        return list(o).stream().map(DeploymentFiles::map).toList();
    }

    /** {@code get(m, "a", "b")} is {@code m.a.b}, or null. */
    static Object get(Map<String, Object> m, String... path) {
        Object o = m;
        for (String p : path) {
            if (!(o instanceof Map<?, ?> mm)) {
                return null;
            }
            o = mm.get(p);
        }
        return o;
    }

    static String str(Object o) {
        return o == null ? null : String.valueOf(o);
    }

    /** The HTTP port a service listens on, from its application.properties. */
    static int httpPort(String module) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(path(module + "/src/main/resources/application.properties"))) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Integer.parseInt(Objects.requireNonNull(p.getProperty("quarkus.http.port"), module + " has no port"));
    }

    private static volatile Map<String, String> documented;

    /** The configuration keys that docs/services.md documents, with their documented defaults. */
    static Map<String, String> documentedKeys() {
        if (documented == null) {
            documented = readDocumentedKeys();
        }
        return documented;
    }

    private static Map<String, String> readDocumentedKeys() {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String line : read(path("docs/services.md")).split("\n")) {
            Matcher m = DOCUMENTED_KEY.matcher(line);
            if (m.find()) {
                keys.put(m.group(1), m.group(2).strip().replace("`", ""));
            }
        }
        return Map.copyOf(keys);
    }

    /** The environment-variable form of a key: upper case, '.' and '-' as '_', a {@code <name>} part as any name. */
    static Pattern environmentName(String key) {
        StringBuilder regex = new StringBuilder();
        Matcher m = Pattern.compile("<[^>]+>").matcher(key);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(upper(key.substring(last, m.start())))).append("[A-Z0-9_]+");
            last = m.end();
        }
        regex.append(Pattern.quote(upper(key.substring(last))));
        return Pattern.compile(regex.toString());
    }

    private static String upper(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /**
     * The configuration keys an environment variable can set: those of docs/services.md's table and
     * {@link #KEYS_OUTSIDE_THE_TABLE}.
     */
    static Optional<String> keyOf(String environmentVariable) {
        List<String> keys = new ArrayList<>(documentedKeys().keySet());
        keys.addAll(KEYS_OUTSIDE_THE_TABLE);
        return keys.stream().filter(k -> environmentName(k).matcher(environmentVariable).matches()).findFirst();
    }

    /**
     * The environment variables a service reads that are not configuration keys: the one named by
     * {@value #MODEL_ENV_KEY} (its documented default), and those a mounted configuration file refers to as
     * {@code ${NAME}}.
     */
    static Set<String> nonKeyVariables(String configurationFile) {
        Set<String> names = new TreeSet<>();
        names.add(Objects.requireNonNull(documentedKeys().get(MODEL_ENV_KEY), MODEL_ENV_KEY + " is not documented"));
        if (configurationFile != null) {
            Matcher m = EXPRESSION.matcher(configurationFile);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /** The variables among {@code names} that neither set a configuration key nor are in {@code allowed}. */
    static List<String> unknownVariables(Iterable<String> names, Set<String> allowed) {
        List<String> unknown = new ArrayList<>();
        for (String n : names) {
            if (!allowed.contains(n) && keyOf(n).isEmpty()) {
                unknown.add(n);
            }
        }
        return unknown;
    }

    /**
     * The folders, relative to the verops home, that hold the SQLite targets of the operations (their
     * {@code target.database}): the executor changes them and the verifier reads them.
     */
    static Set<String> targetFolders() {
        Set<String> folders = new TreeSet<>();
        try (var dirs = Files.list(path("operations"))) {
            for (Path op : dirs.filter(Files::isDirectory).toList()) {
                com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(op.resolve("operation.json").toFile());
                String db = json.path("target").path("database").asText("");
                if (!db.isEmpty()) {
                    Path parent = Path.of(db).getParent();
                    folders.add(parent == null ? "." : parent.toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return folders;
    }

    /** The keys of a properties text. */
    static Set<String> propertyKeys(String text) {
        Properties p = new Properties();
        try {
            p.load(new java.io.StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.stringPropertyNames();
    }

    /** A property of the root pom.xml's {@code <properties>}. */
    static String pomProperty(String name) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</" + Pattern.quote(name) + ">")
                .matcher(read(path("pom.xml")));
        if (!m.find()) {
            throw new AssertionError("pom.xml has no property " + name);
        }
        return m.group(1).strip();
    }

    /** A Kubernetes quantity in base units: {@code 500m} is 0.5, {@code 1Gi} is 1073741824. */
    static BigDecimal quantity(Object value) {
        String s = String.valueOf(value);
        Map<String, BigDecimal> suffixes = new LinkedHashMap<>();
        suffixes.put("Ki", BigDecimal.valueOf(1L << 10));
        suffixes.put("Mi", BigDecimal.valueOf(1L << 20));
        suffixes.put("Gi", BigDecimal.valueOf(1L << 30));
        suffixes.put("Ti", BigDecimal.valueOf(1L << 40));
        suffixes.put("k", BigDecimal.valueOf(1_000L));
        suffixes.put("M", BigDecimal.valueOf(1_000_000L));
        suffixes.put("G", BigDecimal.valueOf(1_000_000_000L));
        suffixes.put("m", new BigDecimal("0.001"));
        for (Map.Entry<String, BigDecimal> e : suffixes.entrySet()) {
            if (s.endsWith(e.getKey())) {
                return new BigDecimal(s.substring(0, s.length() - e.getKey().length())).multiply(e.getValue());
            }
        }
        return new BigDecimal(s);
    }

    /** The lines of a Dockerfile, continuation lines joined, comments dropped. */
    static List<String> dockerfileInstructions(Path dockerfile) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : read(dockerfile).split("\n")) {
            String line = raw.strip();
            if (line.startsWith("#") || (line.isEmpty() && current.isEmpty())) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            if (!current.toString().isBlank()) {
                out.add(current.toString().strip());
            }
            current.setLength(0);
        }
        return out;
    }

    /** The instructions of a Dockerfile's final stage. */
    static List<String> finalStage(Path dockerfile) {
        List<String> all = dockerfileInstructions(dockerfile);
        int from = 0;
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).startsWith("FROM ")) {
                from = i;
            }
        }
        return all.subList(from, all.size());
    }

    /** The arguments of an instruction, split on blanks. */
    static List<String> arguments(String instruction) {
        return List.of(instruction.split("\\s+")).subList(1, instruction.split("\\s+").length);
    }

    /** {@code ENV A=1 B=2} as a map. */
    static Map<String, String> envInstructions(List<String> instructions) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String i : instructions) {
            if (i.startsWith("ENV ")) {
                for (String pair : arguments(i)) {
                    int eq = pair.indexOf('=');
                    env.put(pair.substring(0, eq), pair.substring(eq + 1).replace("\"", ""));
                }
            }
        }
        return env;
    }

    /** The image's repository and tag: {@code a/b:1.2} gives [a/b, 1.2]; no tag gives a null tag. */
    static String[] imageParts(String image) {
        String withoutDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int slash = withoutDigest.lastIndexOf('/');
        int colon = withoutDigest.lastIndexOf(':');
        if (colon > slash) {
            return new String[] {withoutDigest.substring(0, colon), withoutDigest.substring(colon + 1)};
        }
        return new String[] {withoutDigest, null};
    }

    /** A reference is pinned when it names a tag other than {@code latest} (or a digest). */
    static boolean pinned(String image) {
        if (image.contains("@sha256:")) {
            return true;
        }
        String tag = imageParts(image)[1];
        return tag != null && !tag.isBlank() && !tag.equalsIgnoreCase("latest") && !tag.contains("$");
    }

    static String describe(Map<String, Object> resource) {
        return resource.get("kind") + "/" + get(resource, "metadata", "name");
    }

    static Set<String> keysOf(Map<String, Object> m) {
        return m.keySet().stream().map(String::valueOf).collect(Collectors.toCollection(TreeSet::new));
    }
}
