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
import com.tngtech.archunit.library.freeze.FreezingArchRule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
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
 *       the command line, the config or the admin services. This cannot pass before each backend has one home and the core asks the
 *       backend's provider instead (issue 9, point 1), so it is a {@link FreezingArchRule}: the
 *       violations known when it was written are recorded in
 *       {@code src/test/resources/archunit_store} (committed), any <em>new</em> one fails the test,
 *       and the recorded ones may only go away. {@code archunit.properties} forbids creating or
 *       updating the store in a normal run ({@code freeze.store.default.allowStoreUpdate=false},
 *       {@code freeze.refreeze=false}), so CI never silently refreezes: after removing violations,
 *       shrink the store on purpose with
 *       {@code -Darchunit.freeze.store.default.allowStoreUpdate=true} and commit it.</li>
 * </ul>
 */
class ArchitectureTest {
    /** Backend-specific packages: our three backends' store, probe and fix packages, and their drivers. */
    static final String[] BACKEND = {
        "dev.minsky..sqlite..", "dev.minsky..postgres..", "dev.minsky..json..", "org.sqlite..", "org.postgresql..",
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
        FreezingArchRule.freeze(coreNamesNoBackend()).check(classes);
    }

    /** The unfrozen rule does find violations today: the frozen one is not passing for want of them. */
    @Test
    void theFrozenRuleStillHasViolationsToRemove() {
        EvaluationResult r = coreNamesNoBackend().evaluate(classes);
        assertTrue(r.hasViolation(), "no core class names a backend any more: make coreNamesNoBackendPackage a plain rule "
                + "(drop FreezingArchRule and src/test/resources/archunit_store)");
    }

    /** CI must never create or refreeze the store on its own. */
    @Test
    void theStoreIsNeverUpdatedSilently() throws Exception {
        Properties p = new Properties();
        try (var in = ArchitectureTest.class.getClassLoader().getResourceAsStream("archunit.properties")) {
            p.load(in);
        }
        assertTrue(p.getProperty("freeze.store.default.allowStoreUpdate").equals("false"), "allowStoreUpdate=false");
        assertTrue(p.getProperty("freeze.store.default.allowStoreCreation").equals("false"), "allowStoreCreation=false");
        assertTrue(p.getProperty("freeze.refreeze").equals("false"), "refreeze=false");
        assertTrue(Files.isRegularFile(Path.of(p.getProperty("freeze.store.default.path"), "stored.rules")),
                "the violation store is committed");
    }
}
