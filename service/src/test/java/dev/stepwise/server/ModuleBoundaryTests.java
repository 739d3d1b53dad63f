package dev.stepwise.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.springframework.data.repository.Repository;
import org.springframework.web.bind.annotation.RestController;

/**
 * Feature modules talk through public services: no feature reaches into another's repositories,
 * controllers or {@code internal} package, and controllers never return JPA entities.
 */
class ModuleBoundaryTests {

    static final String[] FEATURES = {"auth", "project", "run", "metric", "artifact", "trainlog", "web", "db"};

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.stepwise.server");

    @Test
    void repositoriesAreOnlyUsedInsideTheirFeature() {
        for (String feature : FEATURES) {
            String pkg = "dev.stepwise.server." + feature;
            noClasses().that().resideOutsideOfPackage(pkg + "..")
                    .should().dependOnClassesThat(com.tngtech.archunit.base.DescribedPredicate.<com.tngtech.archunit.core.domain.JavaClass>describe(
                            "repositories of " + feature,
                            c -> c.getPackageName().startsWith(pkg) && c.isAssignableTo(Repository.class)))
                    .allowEmptyShould(true)
                    .check(classes);
        }
    }

    @Test
    void internalPackagesAndControllersStayInsideTheirFeature() {
        for (String feature : FEATURES) {
            String pkg = "dev.stepwise.server." + feature;
            noClasses().that().resideOutsideOfPackage(pkg + "..")
                    .should().dependOnClassesThat().resideInAPackage(pkg + ".internal..")
                    .allowEmptyShould(true)
                    .check(classes);
            noClasses().that().resideOutsideOfPackage(pkg + "..")
                    .should().dependOnClassesThat().areAnnotatedWith(RestController.class)
                    .allowEmptyShould(true)
                    .check(classes);
        }
    }

    @Test
    void entitiesAreNotVisibleOutsideTheirFeature() {
        for (String feature : FEATURES) {
            String pkg = "dev.stepwise.server." + feature;
            noClasses().that().resideOutsideOfPackage(pkg + "..")
                    .should().dependOnClassesThat(com.tngtech.archunit.base.DescribedPredicate.<com.tngtech.archunit.core.domain.JavaClass>describe(
                            "entities of " + feature,
                            c -> c.getPackageName().startsWith(pkg) && c.isAnnotatedWith(jakarta.persistence.Entity.class)))
                    .allowEmptyShould(true)
                    .check(classes);
        }
    }
}
