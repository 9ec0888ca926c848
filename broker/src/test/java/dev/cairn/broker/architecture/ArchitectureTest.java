package dev.cairn.broker.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.cairn.storage.journal.JournalRollCycle;
import dev.cairn.storage.journal.SyncPolicy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Goal: the package dependency rules of ARCHITECTURE.md hold mechanically. Each rule reads
 * the compiled classes of the broker's main code and fails naming the offending dependency.
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.cairn.broker");
    }

    @Test
    void codecKnowsNothingOfSessionsRoutingOrTheCore() {
        noClasses()
                .that()
                .resideInAPackage("..broker.codec..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "..broker.session..",
                        "..broker.core..",
                        "..broker.routing..",
                        "..broker.delivery..",
                        "..broker.persistence..",
                        "dev.cairn.storage..")
                .check(classes);
    }

    @Test
    void pureLogicPackagesDoNotTouchNettyChannels() {
        noClasses()
                .that()
                .resideInAnyPackage("..broker.session..", "..broker.routing..", "..broker.delivery..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.netty.channel..")
                .check(classes);
    }

    @Test
    void routingIsPureLogic() {
        noClasses()
                .that()
                .resideInAPackage("..broker.routing..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.netty..",
                        "..broker.session..",
                        "..broker.core..",
                        "..broker.codec..",
                        "dev.cairn.storage..")
                .check(classes);
    }

    /**
     * Storage's two configuration enums, {@link SyncPolicy} (the {@code durability} key) and
     * {@link JournalRollCycle}, are the one definition of those settings: the config names them,
     * nothing else of storage leaves persistence.
     */
    @Test
    void onlyPersistenceTalksToStorage() {
        noClasses()
                .that()
                .resideOutsideOfPackage("..broker.persistence..")
                .should()
                .dependOnClassesThat(resideInAPackage("dev.cairn.storage..")
                        .and(not(belongToAnyOf(SyncPolicy.class, JournalRollCycle.class))))
                .check(classes);
    }

    @Test
    void onlyConfigReadsSystemPropertiesOrTheEnvironment() {
        noClasses()
                .that()
                .resideOutsideOfPackage("..broker.config..")
                .should()
                .callMethod(System.class, "getProperty", String.class)
                .orShould()
                .callMethod(System.class, "getenv", String.class)
                .check(classes);
    }

    /**
     * A cycle makes two packages one: neither can be read, tested or changed alone. Persistence
     * once saw the core for its clock while the core drove persistence; the clock now has a
     * package of its own.
     */
    @Test
    void brokerPackagesAreFreeOfCycles() {
        slices().matching("dev.cairn.broker.(*)..").should().beFreeOfCycles().check(classes);
    }
}
