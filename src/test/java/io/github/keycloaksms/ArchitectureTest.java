package io.github.keycloaksms;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The packages' order: controllers (the Keycloak steps and endpoints) -> flow -> delivery ->
 * gateway, numbers, config, credential -> code, phone, limits, metrics; no cycles, and no
 * controller reaching into another.
 */
class ArchitectureTest {

    private static final String ROOT = "io.github.keycloaksms";
    private static final List<String> CONTROLLERS = List.of("login", "enrollment", "signin", "reset", "admin", "claims");
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    @Test
    void packagesHaveNoCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void layersOnlyReachDownwards() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("controllers").definedBy(packages(CONTROLLERS.toArray(String[]::new)))
                .layer("flow").definedBy(packages("flow"))
                .layer("delivery").definedBy(packages("delivery"))
                .layer("services").definedBy(packages("gateway", "numbers", "config", "credential"))
                .layer("base").definedBy(packages("code", "phone", "limits", "metrics"))
                .whereLayer("controllers").mayNotBeAccessedByAnyLayer()
                .whereLayer("flow").mayOnlyBeAccessedByLayers("controllers")
                .whereLayer("delivery").mayOnlyBeAccessedByLayers("controllers", "flow")
                .whereLayer("services").mayOnlyBeAccessedByLayers("controllers", "flow", "delivery")
                .check(MAIN);
    }

    @Test
    void controllersDoNotReachIntoEachOther() {
        for (String controller : CONTROLLERS) {
            String[] others = CONTROLLERS.stream().filter(other -> !other.equals(controller))
                    .map(other -> ROOT + "." + other + "..").toArray(String[]::new);
            noClasses().that().resideInAPackage(ROOT + "." + controller + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(others).check(MAIN);
        }
    }

    /** Third-party gateways build on the SPI alone, so it depends on nothing of the extension's but phone numbers. */
    @Test
    void gatewaySpiStandsAlone() {
        noClasses().that().resideInAPackage(ROOT + ".gateway..")
                .should().dependOnClassesThat().resideInAnyPackage(packages("config", "numbers", "credential", "delivery", "flow"))
                .check(MAIN);
    }

    private static String[] packages(String... names) {
        return Arrays.stream(names).map(name -> ROOT + "." + name + "..").toArray(String[]::new);
    }
}
