package io.rankforge.jobs.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The jobs module's packages depend downward only, and nothing in core depends on the jobs. */
class JobsArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.rankforge");
    }

    @Test
    void jobsPackagesAreFreeOfCycles() {
        slices().matching("io.rankforge.jobs.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void coreDoesNotDependOnJobs() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.rankforge.jobs..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.rankforge.jobs..")
                .check(classes);
    }
}
