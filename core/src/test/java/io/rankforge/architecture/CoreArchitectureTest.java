package io.rankforge.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.GeneralCodingRules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine's package structure, checked on its bytecode: packages depend downward only (no cycle between
 * any two packages), and core never reaches Spark. CONTRIBUTING.md lists the layers.
 */
class CoreArchitectureTest {
    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("io.rankforge");
    }

    @Test
    void corePackagesAreFreeOfCycles() {
        // "io.(**)" makes every package, the root io.rankforge included, a slice of its own
        slices().matching("io.(**)").should().beFreeOfCycles().check(core);
    }

    @Test
    void coreNeverImportsSpark() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.apache.spark..")
                .because("core is the engine; Spark jobs orchestrate it from the jobs module")
                .check(core);
    }

    @Test
    void theEngineLogsThroughSlf4jNotTheStandardStreams() {
        // progress lines go to a caller's Consumer<String>; diagnostics to an SLF4J logger at DEBUG
        GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS
                .because("core is a library: the application decides where its output goes")
                .check(core);
    }

    @Test
    void theRootVocabularyDependsOnNoOtherRankForgePackage() {
        noClasses()
                .that()
                .resideInAPackage("io.rankforge")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.rankforge.(*)..")
                .because("MetricKind, RankConfiguration, AccuracyOracle are the vocabulary every package shares")
                .check(core);
    }
}
