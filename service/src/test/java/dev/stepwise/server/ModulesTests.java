package dev.stepwise.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/**
 * The service's module structure, verified by Spring Modulith: every direct sub-package of
 * {@code dev.stepwise.server} is a module, dependencies between modules form no cycle, and a
 * module reaches another only through the types in that module's base package. The test also
 * writes the module documentation (PlantUML component diagrams and module canvases) that
 * {@code docs/architecture/} holds.
 */
class ModulesTests {

    static final ApplicationModules MODULES = ApplicationModules.of(StepwiseApplication.class);

    @Test
    void modulesHaveNoCyclesAndUseOnlyEachOthersPublishedApi() {
        MODULES.verify();
    }

    @Test
    void everyModuleSaysWhatItOwns() {
        MODULES.forEach(module -> assertThat(Path.of("src/main/java",
                module.getBasePackage().getName().replace('.', '/'), "package-info.java"))
                .as("package-info.java of module %s", module.getIdentifier())
                .exists());
    }

    @Test
    void writesTheModuleDocumentation() throws Exception {
        Path output = Path.of("target/spring-modulith-docs");
        new Documenter(MODULES, Documenter.Options.defaults().withOutputFolder(output.toString()))
                .writeModulesAsPlantUml()
                .writeIndividualModulesAsPlantUml()
                .writeModuleCanvases();
        assertThat(Files.list(output).map(p -> p.getFileName().toString()))
                .contains("components.puml");
    }
}
