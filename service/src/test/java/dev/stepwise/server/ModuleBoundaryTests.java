package dev.stepwise.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import jakarta.persistence.Entity;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.springframework.data.repository.Repository;
import org.springframework.modulith.core.ApplicationModule;
import org.springframework.web.bind.annotation.RestController;

/**
 * Rules beyond Spring Modulith's {@link ModulesTests}: even where a type is public, no module uses
 * another module's repositories, JPA entities or controllers — a module's tables are reached only
 * through its services. The module list comes from Spring Modulith, so a new module is covered.
 */
class ModuleBoundaryTests {

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.stepwise.server");

    private final List<String> modules = ModulesTests.MODULES.stream()
            .map(ApplicationModule::getBasePackage).map(p -> p.getName()).toList();

    @Test
    void repositoriesAreOnlyUsedInsideTheirModule() {
        forEachModule("repositories", c -> c.isAssignableTo(Repository.class));
    }

    @Test
    void entitiesAreNotVisibleOutsideTheirModule() {
        forEachModule("JPA entities", c -> c.isAnnotatedWith(Entity.class));
    }

    @Test
    void controllersAreNotUsedOutsideTheirModule() {
        forEachModule("controllers", c -> c.isAnnotatedWith(RestController.class));
    }

    private void forEachModule(String what, Predicate<JavaClass> kind) {
        for (String pkg : modules) {
            noClasses().that().resideOutsideOfPackage(pkg + "..")
                    .should().dependOnClassesThat(DescribedPredicate.<JavaClass>describe(what + " of " + pkg,
                            c -> (c.getPackageName().equals(pkg) || c.getPackageName().startsWith(pkg + "."))
                                    && kind.test(c)))
                    .allowEmptyShould(true)
                    .check(classes);
        }
    }
}
