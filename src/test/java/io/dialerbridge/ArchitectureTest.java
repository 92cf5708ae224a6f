package io.dialerbridge;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The product and the local machinery under src/test (the Salesforce emulator, the embedded brokers, local mode and
 * its demo traffic) stay apart: the product never uses them, and the emulator, the oracle the tests check the bridge
 * against, shares no code with the bridge.
 */
class ArchitectureTest {

    private static final JavaClasses PRODUCT = new ClassFileImporter()
            .withImportOption(new ImportOption.DoNotIncludeTests())
            .importPackages("io.dialerbridge");
    private static final JavaClasses EMULATOR = new ClassFileImporter().importPackages("io.dialerbridge.emulator");

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
}
