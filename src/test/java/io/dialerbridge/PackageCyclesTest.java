package io.dialerbridge;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The product's feature packages depend on each other without cycles, so each can be read from its dependencies up. */
class PackageCyclesTest {

    /** The product's own classes; the emulator and local mode are local machinery, not part of the product. */
    private static final JavaClasses PRODUCT = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("/io/dialerbridge/emulator/")
                    && !location.contains("/io/dialerbridge/local/"))
            .importPackages("io.dialerbridge");

    @Test
    void featurePackagesFormNoCycles() {
        slices().matching("io.dialerbridge.(*)..").should().beFreeOfCycles().check(PRODUCT);
    }

    @Test
    void subpackagesFormNoCyclesWithinTheirFeature() {
        slices().matching("io.dialerbridge.(**)").should().beFreeOfCycles().check(PRODUCT);
    }
}
