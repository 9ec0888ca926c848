package dev.cairn.storage.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Goal: the package rules of storage in ARCHITECTURE.md hold mechanically. Each rule reads the
 * compiled classes of storage's main code and fails naming the offending dependency.
 */
class StorageArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.cairn.storage");
    }

    @Test
    void storagePackagesAreFreeOfCycles() {
        slices().matching("dev.cairn.storage.(*)..").should().beFreeOfCycles().check(classes);
    }

    /** {@code Store} and recovery sit on top of journal and index; nothing below sees them. */
    @Test
    void noStoragePackageSeesTheStoreAboveIt() {
        noClasses()
                .that()
                .resideInAPackage("dev.cairn.storage.(*)..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.cairn.storage")
                .check(classes);
    }

    @Test
    void onlyTheJournalUsesChronicleQueue() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.cairn.storage.journal..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("net.openhft..")
                .check(classes);
    }

    @Test
    void onlyTheIndexUsesRocksDb() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.cairn.storage.index..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.rocksdb..")
                .check(classes);
    }
}
