package dev.minsky;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package structure, checked with ArchUnit on the compiled main classes (not the tests):
 *
 * <ul>
 *   <li><b>No package cycles.</b> Each Java package under {@code dev.minsky} is a slice, with one
 *       exception: {@link Main}, the composition root, is a slice of its own, apart from the rest of
 *       the root package ({@link AppContext}, {@link ExitCode}, {@link MinskyException},
 *       {@link MinskyPaths}, ...), which every package uses and which itself uses no other package.
 *       {@link #nothingDependsOnMain} makes sure Main stays the top, so no cycle can pass through it.
 *       Drools' generated rule classes ({@code dev.minsky.doctor.rules..}) are not ours and are left out.</li>
 *   <li><b>The core names no backend.</b> No class outside the backend-specific packages
 *       ({@link #BACKEND}: {@code ..sqlite..}, {@code ..postgres..}, {@code ..json..} store, probe and
 *       fix packages, and the JDBC drivers) depends on one of them: not the engine, the doctor run,
 *       the probes and fixes that are about every store, the fix runner, the renderers, the bundle,
 *       the command line, the config or the admin services.
 *       Each backend lives under {@code dev.minsky.backend.<name>} (store classes; {@code .probe} and
 *       {@code .fix} beside them) and the core asks its {@link dev.minsky.store.StoreProvider} for what
 *       it needs (issue 9, point 1): a plain rule, with no frozen violations.</li>
 * </ul>
 */
class ArchitectureTest {
    /** Backend-specific packages: every backend's home (dev.minsky.backend.<name>..), any package named after one of ours, and their drivers. */
    static final String[] BACKEND = {
        "dev.minsky.backend..", "dev.minsky..sqlite..", "dev.minsky..postgres..", "dev.minsky..json..", "org.sqlite..", "org.postgresql..",
    };

    static final String GENERATED_RULES = "dev.minsky.doctor.rules";

    /** A Java package per slice; Main apart (see the class comment); generated rule classes ignored. */
    static final SliceAssignment PACKAGES = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
            String pkg = c.getPackageName();
            if (!(pkg.equals("dev.minsky") || pkg.startsWith("dev.minsky."))
                    || pkg.equals(GENERATED_RULES) || pkg.startsWith(GENERATED_RULES + ".")) {
                return SliceIdentifier.ignore();
            }
            if (belongToAnyOf(Main.class).test(c)) {
                return SliceIdentifier.of("dev.minsky.Main (entry point)");
            }
            return SliceIdentifier.of(pkg);
        }

        @Override
        public String getDescription() {
            return "the packages of dev.minsky (Main apart)";
        }
    };

    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("dev.minsky");
        // a wrong import (no classes, or the tests' classes) would make every rule pass
        assertTrue(classes.contain(Main.class) && classes.contain("dev.minsky.doctor.run.Doctor"), "the main classes were imported");
        assertFalse(classes.contain(ArchitectureTest.class), "the test classes were not imported");
    }

    @Test
    void noPackageCycles() {
        slices().assignedFrom(PACKAGES).should().beFreeOfCycles().check(classes);
    }

    @Test
    void nothingDependsOnMain() {
        noClasses().that(not(belongToAnyOf(Main.class)))
                .should().dependOnClassesThat(belongToAnyOf(Main.class))
                .because("Main is the composition root: what it does is passed down (AppContext), never reached up for")
                .check(classes);
    }

    static ArchRule coreNamesNoBackend() {
        return noClasses().that().resideInAPackage("dev.minsky..")
                .and().resideOutsideOfPackages(BACKEND).and().resideOutsideOfPackage(GENERATED_RULES + "..")
                .should().dependOnClassesThat(resideInAnyPackage(BACKEND))
                .because("the core asks a backend's provider for what it needs; each backend lives under its own packages "
                        + "(issue 9: one home per backend)");
    }

    @Test
    void coreNamesNoBackendPackage() {
        coreNamesNoBackend().check(classes);
    }

    /** The rule is not passing for want of classes to check: the backends' own packages do use their drivers. */
    @Test
    void theBackendRuleSeesTheBackends() {
        assertTrue(classes.contain("dev.minsky.backend.sqlite.SqliteStoreProvider")
                && classes.contain("dev.minsky.backend.postgres.PostgresStoreProvider")
                && classes.contain("dev.minsky.backend.json.JsonStoreProvider"), "the backends' classes were imported");
        EvaluationResult r = noClasses().that().resideInAPackage("dev.minsky.backend..")
                .should().dependOnClassesThat(resideInAnyPackage("org.sqlite..", "org.postgresql..")).evaluate(classes);
        assertTrue(r.hasViolation(), "the backend packages reach their drivers, so the rule above would see a core class that did");
    }
}
