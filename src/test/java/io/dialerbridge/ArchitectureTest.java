package io.dialerbridge;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The product and the local machinery under src/test (the Salesforce emulator, the embedded brokers, local mode and
 * its demo traffic) stay apart, and the unit tests stay fast.
 *
 * <p>The product never uses the local machinery, and the emulator, the oracle the tests check the bridge against,
 * shares no code with the bridge. A {@code *Test} class is a plain unit test that {@code ./mvnw test} runs in
 * seconds; a test that starts a Spring context, a broker, the emulator's servers or a child JVM is an {@code *IT}
 * class, run by failsafe in {@code ./mvnw verify}.
 */
class ArchitectureTest {

    private static final JavaClasses PRODUCT = new ClassFileImporter()
            .withImportOption(new ImportOption.DoNotIncludeTests())
            .importPackages("io.dialerbridge");
    private static final JavaClasses EMULATOR = new ClassFileImporter().importPackages("io.dialerbridge.emulator");
    private static final JavaClasses TESTS = new ClassFileImporter()
            .withImportOption(new ImportOption.OnlyIncludeTests())
            .importPackages("io.dialerbridge");

    /** What starts something a unit test must not wait for: a server or a Spring application. */
    private static final Set<String> STARTERS = Set.of(
            "org.eclipse.jetty.server.Server",
            "org.springframework.boot.SpringApplication",
            "org.springframework.boot.builder.SpringApplicationBuilder");
    /**
     * A test helper that starts a process is a child-JVM helper (the benchmark's, the packaged jar's); a unit test may
     * run a small tool itself (MonitoringFilesTest runs promtool where it is installed).
     */
    private static final String PROCESSES = "java.lang.ProcessBuilder";

    @Test
    void productCodeNeverUsesTheEmulatorOrLocalMachinery() {
        noClasses().that().resideInAPackage("io.dialerbridge..")
                .should().dependOnClassesThat().resideInAnyPackage("io.dialerbridge.emulator..",
                        "io.dialerbridge.local..")
                .check(PRODUCT);
    }

    @Test
    void theEmulatorUsesNothingOfTheBridge() {
        noClasses().that().resideInAPackage("io.dialerbridge.emulator..")
                .should().dependOnClassesThat(resideInAPackage("io.dialerbridge..")
                        .and(not(resideInAPackage("io.dialerbridge.emulator.."))))
                .check(EMULATOR);
    }

    @Test
    void unitTestsStartNoContextBrokerServerOrChildJvm() {
        noClasses().that(IN_A_UNIT_TEST)
                .should().beMetaAnnotatedWith(SpringBootTest.class)
                .orShould().dependOnClassesThat(LocalMachinery.PREDICATE)
                .because("a test that starts a Spring context, a broker, the emulator or a child JVM is an *IT class, "
                        + "run by failsafe in ./mvnw verify; ./mvnw test stays the fast loop")
                .check(TESTS);
    }

    /** A *Test class and the classes nested in it (its {@code @Nested} groups). */
    private static final DescribedPredicate<JavaClass> IN_A_UNIT_TEST = DescribedPredicate.describe(
            "are *Test classes or nested in one", type -> {
                JavaClass outermost = type;
                while (outermost.getEnclosingClass().isPresent()) {
                    outermost = outermost.getEnclosingClass().get();
                }
                return outermost.getSimpleName().endsWith("Test");
            });

    /**
     * The test helpers that start servers, brokers, applications or processes: local mode ({@code local/}, the
     * embedded brokers among it), the test application, Artemis's and Kafka's broker classes, and every test-side
     * class that uses a starter ({@link #STARTERS}), a process or such a helper, e.g. the emulator and the child-JVM
     * helpers.
     */
    private static final class LocalMachinery {

        static final DescribedPredicate<JavaClass> PREDICATE = DescribedPredicate.describe(
                "start a Spring context, a broker, the emulator's servers or a child JVM", new LocalMachinery()::is);

        private final Map<JavaClass, Boolean> known = new HashMap<>();

        boolean is(JavaClass type) {
            String name = type.getName();
            if (STARTERS.contains(name) || name.startsWith("io.dialerbridge.local.")
                    || name.equals("io.dialerbridge.TestDialerBridgeApplication")
                    || name.startsWith("org.apache.activemq.artemis.core.server.") || name.startsWith("kafka.server.")) {
                return true;
            }
            if (!name.startsWith("io.dialerbridge.") || name.endsWith("Test") || name.endsWith("IT")) {
                return false;
            }
            Boolean seen = known.get(type);
            if (seen != null) {
                return seen;
            }
            known.put(type, false); // a cycle back to this class adds nothing
            boolean starts = type.getDirectDependenciesFromSelf().stream().map(Dependency::getTargetClass)
                    .filter(target -> !target.equals(type))
                    .anyMatch(target -> target.getName().equals(PROCESSES) || is(target));
            known.put(type, starts);
            return starts;
        }
    }
}
