package io.dialerbridge.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.FileSystemResource;
import org.yaml.snakeyaml.Yaml;

/**
 * The example Kubernetes manifests ({@code kubernetes/}) stay true to the bridge: every variable the Deployment sets
 * is a setting of {@code application.yaml}, the probes ask the bridge's health groups on its port, the variables and
 * the Secret's keys are what production mode requires to start, and the Deployment is the HA one the docs describe.
 */
class KubernetesManifestsTest {

    private static final Path MANIFESTS = Path.of("kubernetes");
    private static final Path SETTINGS = Path.of("application.yaml");
    /** Read by the JVM itself, not the bridge. */
    private static final Set<String> JVM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS");

    @Test
    void everyVariableTheDeploymentSetsIsASettingOfTheBridge() throws IOException {
        String settingsText = Files.readString(SETTINGS);
        Set<String> relaxedKeys = new TreeSet<>();
        for (String key : defaultSettings().getPropertyNames()) {
            relaxedKeys.add(key.replaceAll("\\[\\d+]", "").replace('.', '_').replace("-", "")
                    .toUpperCase(java.util.Locale.ROOT));
        }
        for (String name : environment().keySet()) {
            if (JVM_VARIABLES.contains(name)) {
                continue;
            }
            assertThat(settingsText.contains("${" + name + ":") || settingsText.contains("${" + name + "}")
                    || relaxedKeys.contains(name))
                    .as("%s names a setting of application.yaml", name).isTrue();
        }
    }

    @Test
    void theProbesAskTheBridgesHealthGroupsOnItsPort() throws IOException {
        Map<String, Object> container = container();
        EnumerablePropertySource<?> settings = defaultSettings();
        assertThat(settings.getProperty("management.endpoint.health.probes.enabled")).isEqualTo(true);
        Object port = ((List<?>) container.get("ports")).stream().map(Map.class::cast)
                .filter(entry -> "http".equals(entry.get("name"))).findFirst().orElseThrow().get("containerPort");
        assertThat(String.valueOf(port)).isEqualTo(environment().get("SERVER_PORT"));
        assertThat(String.valueOf(settings.getProperty("server.port"))).isEqualTo("${SERVER_PORT:8080}");
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            Map<?, ?> get = (Map<?, ?>) ((Map<?, ?>) container.get(probe)).get("httpGet");
            assertThat(get.get("port")).as(probe).isEqualTo("http");
            String path = String.valueOf(get.get("path"));
            assertThat(path).as(probe).startsWith("/actuator/health/");
            String group = path.substring("/actuator/health/".length());
            assertThat(settings.getProperty("management.endpoint.health.group." + group + ".include"))
                    .as("health group %s of %s", group, probe).isNotNull();
        }
        assertThat(((Map<?, ?>) ((Map<?, ?>) container.get("readinessProbe")).get("httpGet")).get("path"))
                .isEqualTo("/actuator/health/readiness");
        // The start may wait for Kafka up to dialer.startup.state-timeout: the startup probe must allow for it.
        Map<?, ?> startup = (Map<?, ?>) container.get("startupProbe");
        Duration patience = DurationStyle.detectAndParse(String.valueOf(
                settings.getProperty("dialer.startup.state-timeout")));
        assertThat(Duration.ofSeconds((Integer) startup.get("periodSeconds") * (long) (Integer) startup.get(
                "failureThreshold"))).isGreaterThanOrEqualTo(patience);
    }

    @Test
    void theDeploymentSetsWhatProductionModeRequiresFromTheSecretTheReadmeCreates(@TempDir Path secrets)
            throws IOException {
        Map<String, String> variables = new LinkedHashMap<>();
        environment().forEach((name, value) -> variables.put(name, value == null ? "from-" + name : value));
        // The keystore is a mounted Secret: its mount holds the file the setting names.
        String keystore = variables.get("SALESFORCE_JWT_KEYSTORE");
        assertThat(keystore).startsWith("file:");
        Path mounted = Path.of(keystore.substring("file:".length()));
        assertThat(volumeMounts()).contains(mounted.getParent().toString());
        Path standIn = Files.writeString(secrets.resolve(mounted.getFileName().toString()), "keystore");
        variables.put("SALESFORCE_JWT_KEYSTORE", "file:" + standIn);

        StandardEnvironment production = new StandardEnvironment();
        MutablePropertySources sources = production.getPropertySources();
        sources.remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        sources.remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        sources.addFirst(new SystemEnvironmentPropertySource("deployment", new LinkedHashMap<>(variables)));
        sources.addLast(defaultSettings());
        assertThat(new ProductionSettingsValidator().validate(production)).isEmpty();

        // Every key the Deployment reads from the Secret is one the README's kubectl command puts in it.
        String readme = Files.readString(MANIFESTS.resolve("README.md"));
        Set<String> created = new TreeSet<>();
        Matcher key = Pattern.compile("--from-(?:literal|file)=([A-Za-z0-9.-]+)=").matcher(readme);
        while (key.find()) {
            created.add(key.group(1));
        }
        assertThat(created).containsExactlyInAnyOrderElementsOf(secretKeys());
        assertThat(readme).contains("kubectl create secret generic dialer-bridge");
    }

    @Test
    void twoReplicasRollOneAtATimeWithinHalfAGigabyte() throws IOException {
        Map<String, Object> deployment = document("deployment.yaml").get(0);
        Map<?, ?> spec = (Map<?, ?>) deployment.get("spec");
        assertThat(spec.get("replicas")).isEqualTo(2);
        Map<?, ?> strategy = (Map<?, ?>) spec.get("strategy");
        assertThat(strategy.get("type")).isEqualTo("RollingUpdate");
        assertThat(((Map<?, ?>) strategy.get("rollingUpdate")).get("maxUnavailable")).isEqualTo(0);
        Map<?, ?> resources = (Map<?, ?>) container().get("resources");
        assertThat(((Map<?, ?>) resources.get("limits")).get("memory")).isEqualTo("512Mi");
        Map<String, Object> budget = document("poddisruptionbudget.yaml").get(0);
        assertThat(((Map<?, ?>) budget.get("spec")).get("minAvailable")).isEqualTo(1);
        // The grace period lets a stopping leader commit and leave the election (camel's shutdown timeout is 45 s).
        Map<?, ?> pod = (Map<?, ?>) ((Map<?, ?>) spec.get("template")).get("spec");
        assertThat((Integer) pod.get("terminationGracePeriodSeconds")).isGreaterThan(45);
    }

    @Test
    void theLeaseRbacLetsTheServiceAccountRenewLeases() throws IOException {
        List<Map<String, Object>> documents = document("lease-rbac.yaml");
        Map<String, Object> role = documents.stream().filter(doc -> "Role".equals(doc.get("kind"))).findFirst()
                .orElseThrow();
        List<?> rules = (List<?>) role.get("rules");
        Map<?, ?> leases = rules.stream().map(Map.class::cast)
                .filter(rule -> ((List<?>) rule.get("resources")).contains("leases")).findFirst().orElseThrow();
        assertThat(leases.get("apiGroups")).isEqualTo(List.of("coordination.k8s.io"));
        assertThat(((List<?>) leases.get("verbs")).stream().map(String::valueOf).toList()).contains("get", "create",
                "update");
        Map<String, Object> binding = documents.stream().filter(doc -> "RoleBinding".equals(doc.get("kind")))
                .findFirst().orElseThrow();
        assertThat(((Map<?, ?>) binding.get("roleRef")).get("name"))
                .isEqualTo(((Map<?, ?>) role.get("metadata")).get("name"));
        assertThat(defaultSettings().getProperty("dialer.leadership.mode")).isEqualTo("kafka");
    }

    /** The container's variables; null for those read from a Secret or ConfigMap. */
    private static Map<String, String> environment() throws IOException {
        Map<String, String> variables = new LinkedHashMap<>();
        for (Object entry : (List<?>) container().get("env")) {
            Map<?, ?> variable = (Map<?, ?>) entry;
            variables.put(String.valueOf(variable.get("name")),
                    variable.containsKey("value") ? String.valueOf(variable.get("value")) : null);
        }
        return variables;
    }

    private static Set<String> secretKeys() throws IOException {
        Set<String> keys = new TreeSet<>();
        for (Object entry : (List<?>) container().get("env")) {
            Map<?, ?> from = (Map<?, ?>) ((Map<?, ?>) entry).get("valueFrom");
            if (from != null && from.get("secretKeyRef") instanceof Map<?, ?> secret) {
                assertThat(secret.get("name")).isEqualTo("dialer-bridge");
                keys.add(String.valueOf(secret.get("key")));
            }
        }
        for (Object volume : (List<?>) podSpec().get("volumes")) {
            Map<?, ?> secret = (Map<?, ?>) ((Map<?, ?>) volume).get("secret");
            if (secret != null) {
                assertThat(secret.get("secretName")).isEqualTo("dialer-bridge");
                for (Object item : (List<?>) secret.get("items")) {
                    keys.add(String.valueOf(((Map<?, ?>) item).get("key")));
                }
            }
        }
        return keys;
    }

    private static List<String> volumeMounts() throws IOException {
        List<String> paths = new ArrayList<>();
        for (Object mount : (List<?>) container().get("volumeMounts")) {
            paths.add(String.valueOf(((Map<?, ?>) mount).get("mountPath")));
        }
        return paths;
    }

    private static Map<String, Object> container() throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> container = (Map<String, Object>) ((List<?>) podSpec().get("containers")).get(0);
        return container;
    }

    private static Map<?, ?> podSpec() throws IOException {
        Map<?, ?> spec = (Map<?, ?>) document("deployment.yaml").get(0).get("spec");
        return (Map<?, ?>) ((Map<?, ?>) spec.get("template")).get("spec");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> document(String file) throws IOException {
        List<Map<String, Object>> documents = new ArrayList<>();
        try (InputStream in = Files.newInputStream(MANIFESTS.resolve(file))) {
            for (Object document : new Yaml().loadAll(in)) {
                documents.add((Map<String, Object>) document);
            }
        }
        return documents;
    }

    /** The settings outside any profile: the first document of application.yaml. */
    private static EnumerablePropertySource<?> defaultSettings() throws IOException {
        List<PropertySource<?>> documents = new YamlPropertySourceLoader().load("application.yaml",
                new FileSystemResource(SETTINGS));
        return (EnumerablePropertySource<?>) documents.get(0);
    }
}
