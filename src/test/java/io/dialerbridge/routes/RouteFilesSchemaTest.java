package io.dialerbridge.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

/** Every route file users may edit validates against Camel's YAML DSL schema, shipped inside camel-yaml-dsl. */
class RouteFilesSchemaTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final JsonSchema SCHEMA = loadSchema();

    private static JsonSchema loadSchema() {
        try (InputStream source = RouteFilesSchemaTest.class.getResourceAsStream("/schema/camelYamlDsl.json")) {
            if (source == null) {
                throw new IllegalStateException("camel-yaml-dsl's schema is not on the classpath");
            }
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(source);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The flows in {@code routes/} and their error handling in {@code routes/errors/}. */
    static List<Path> routeFiles() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("routes"))) {
            return files.filter(file -> file.getFileName().toString().endsWith(".camel.yaml")).sorted().toList();
        }
    }

    @ParameterizedTest
    @MethodSource("routeFiles")
    void validatesAgainstCamelsYamlDslSchema(Path routeFile) throws IOException {
        JsonNode routes = JSON.valueToTree(new Yaml().load(Files.readString(routeFile)));

        List<ValidationMessage> problems = SCHEMA.validate(routes).stream()
                .filter(problem -> !isPlaceholderForATypedOption(problem))
                .toList();

        assertThat(problems).as(routeFile.toString()).isEmpty();
    }

    /**
     * The schema types options like {@code autoStartup} as booleans, but Camel resolves a {@code {{placeholder}}}
     * there before it reads the value, and the placeholders are what make the routes configurable.
     */
    private static boolean isPlaceholderForATypedOption(ValidationMessage problem) {
        JsonNode value = problem.getInstanceNode();
        return "type".equals(problem.getType()) && value != null && value.isTextual()
                && value.asText().matches("\\{\\{[^}]+}}");
    }

    @ParameterizedTest
    @MethodSource("routeFiles")
    void fileNameEqualsTheRouteOrConfigurationId(Path routeFile) throws IOException {
        List<?> definitions = new Yaml().load(Files.readString(routeFile));
        String expectedId = routeFile.getFileName().toString().replace(".camel.yaml", "");

        assertThat(definitions).anySatisfy(definition -> assertThat(JSON.valueToTree(definition).findValue("id")
                .asText()).isEqualTo(expectedId));
    }

    @ParameterizedTest
    @MethodSource("routeFiles")
    void everyRouteAndTemplateSaysWhatItDoes(Path routeFile) throws IOException {
        List<?> definitions = new Yaml().load(Files.readString(routeFile));

        for (Object definition : definitions) {
            JsonNode node = JSON.valueToTree(definition);
            for (String kind : List.of("route", "routeTemplate")) {
                if (node.has(kind)) {
                    assertThat(node.get(kind).path("description").asText()).as("%s %s in %s", kind,
                            node.get(kind).path("id").asText(), routeFile).isNotBlank();
                }
            }
        }
    }
}
