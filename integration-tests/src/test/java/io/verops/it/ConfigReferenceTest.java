package io.verops.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.verops.archiver.service.ArchiverConfig;
import io.verops.executor.service.ExecutorConfig;
import io.verops.ingest.service.IngestConfig;
import io.verops.verifier.service.VerifierConfig;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The configuration reference in docs/services.md names every key the services' config mappings declare. */
class ConfigReferenceTest {
    @ParameterizedTest
    @ValueSource(classes = {IngestConfig.class, ExecutorConfig.class, VerifierConfig.class, ArchiverConfig.class})
    void everyKeyOfTheServiceIsDocumented(Class<?> mapping) throws Exception {
        String docs = Files.readString(Path.of(System.getProperty("verops.root", "..")).resolve("docs/services.md"),
                StandardCharsets.UTF_8);
        List<String> keys = keys("verops", mapping);
        assertThat(keys).isNotEmpty();
        assertThat(keys).allSatisfy(key -> assertThat(docs).as("docs/services.md").contains("`" + key));
    }

    /** The keys of a mapping interface: kebab-case method names, groups nested, maps as {@code key.<name>}. */
    private static List<String> keys(String prefix, Class<?> mapping) {
        List<String> keys = new ArrayList<>();
        Method[] methods = mapping.getDeclaredMethods();
        Arrays.sort(methods, Comparator.comparing(Method::getName));
        for (Method m : methods) {
            if (m.isDefault() || Modifier.isStatic(m.getModifiers()) || m.getParameterCount() > 0) {
                continue;
            }
            String key = prefix + "." + kebab(m.getName());
            Class<?> type = m.getReturnType();
            if (Map.class.isAssignableFrom(type)) {
                keys.add(key + ".<");
            } else if (type.isInterface() && type.getName().startsWith("io.verops.")) {
                keys.addAll(keys(key, type));
            } else {
                keys.add(key);
            }
        }
        return keys;
    }

    private static String kebab(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
