package io.undermoon.it;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The module layering of ../shared/DESIGN.md, checked on the built main classes of every module:
 * {@code resp <- cluster-model <- {proxy, broker, coordinator} <- cli}, the programs meet only in
 * cluster-model and on the wire, no production module imports test-only code (testkit,
 * test-support), and each module's pom declares exactly the project modules its main code imports.
 */
class LayeringTest {
    /** Each module's root package (main code only). */
    private static final Map<String, String> MODULES = new LinkedHashMap<>();

    static {
        MODULES.put("resp", "io.undermoon.resp");
        MODULES.put("cluster-model", "io.undermoon.model");
        MODULES.put("proxy", "io.undermoon.proxy");
        MODULES.put("broker", "io.undermoon.broker");
        MODULES.put("coordinator", "io.undermoon.coordinator");
        MODULES.put("process", "io.undermoon.process");
        MODULES.put("local", "io.undermoon.local");
        MODULES.put("test-support", "io.undermoon.testsupport");
        MODULES.put("testkit", "io.undermoon.testkit");
        MODULES.put("chaos", "io.undermoon.chaos");
        MODULES.put("cli", "io.undermoon.cli");
    }

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(MODULES.values());
        for (String root : MODULES.values()) {
            assertThat(classes.stream().anyMatch(c -> c.getPackageName().startsWith(root)))
                    .as("main classes of %s on the test classpath", root).isTrue();
        }
    }

    @Test
    void proxyNeverImportsBrokerOrCoordinator() {
        noClasses().that().resideInAPackage("io.undermoon.proxy..")
                .should().dependOnClassesThat().resideInAnyPackage("io.undermoon.broker..", "io.undermoon.coordinator..",
                        "io.undermoon.cli..", "io.undermoon.chaos..")
                .check(classes);
    }

    @Test
    void brokerNeverImportsProxyOrCoordinator() {
        noClasses().that().resideInAPackage("io.undermoon.broker..")
                .should().dependOnClassesThat().resideInAnyPackage("io.undermoon.proxy..", "io.undermoon.coordinator..",
                        "io.undermoon.cli..", "io.undermoon.chaos..")
                .check(classes);
    }

    @Test
    void coordinatorMeetsTheOtherProgramsOnlyOnTheWire() {
        noClasses().that().resideInAPackage("io.undermoon.coordinator..")
                .should().dependOnClassesThat().resideInAnyPackage("io.undermoon.proxy..", "io.undermoon.broker..",
                        "io.undermoon.cli..", "io.undermoon.chaos..")
                .check(classes);
    }

    @Test
    void noProductionModuleImportsTestOnlyCode() {
        noClasses().that().resideInAnyPackage("io.undermoon.resp..", "io.undermoon.model..", "io.undermoon.proxy..",
                        "io.undermoon.broker..", "io.undermoon.coordinator..", "io.undermoon.process..",
                        "io.undermoon.local..", "io.undermoon.chaos..", "io.undermoon.cli..")
                .should().dependOnClassesThat().resideInAnyPackage("io.undermoon.testkit..", "io.undermoon.testsupport..")
                .check(classes);
    }

    @Test
    void theLocalSystemAndTheProcessesKnowNoProgram() {
        noClasses().that().resideInAnyPackage("io.undermoon.process..", "io.undermoon.local..")
                .should().dependOnClassesThat().resideInAnyPackage("io.undermoon.proxy..", "io.undermoon.broker..",
                        "io.undermoon.coordinator..", "io.undermoon.cli..", "io.undermoon.chaos..")
                .check(classes);
    }

    @Test
    void clusterModelImportsNoProgram() {
        noClasses().that().resideInAPackage("io.undermoon.model..")
                .should().dependOnClassesThat().resideInAnyPackage("io.undermoon.proxy..", "io.undermoon.broker..",
                        "io.undermoon.coordinator..", "io.undermoon.cli..", "io.undermoon.chaos..",
                        "io.undermoon.testkit..")
                .check(classes);
    }

    @Test
    void respImportsNothingOfTheProject() {
        noClasses().that().resideInAPackage("io.undermoon.resp..")
                .should().dependOnClassesThat().resideInAnyPackage("io.undermoon.model..", "io.undermoon.proxy..",
                        "io.undermoon.broker..", "io.undermoon.coordinator..", "io.undermoon.cli..",
                        "io.undermoon.chaos..", "io.undermoon.testkit..")
                .check(classes);
    }

    /** A module that imports another declares it, and declares no project module it does not import. */
    @Test
    void everyModuleDeclaresExactlyTheModulesItImports() throws Exception {
        Path root = projectRoot();
        Map<String, Set<String>> imported = new TreeMap<>();
        Map<String, Set<String>> declared = new TreeMap<>();
        for (String module : MODULES.keySet()) {
            imported.put(module, importedModules(module));
            declared.put(module, declaredModules(root.resolve(module).resolve("pom.xml")));
        }
        assertThat(declared).as("project modules declared (compile scope) in each pom; expected: those imported")
                .isEqualTo(imported);
    }

    private static Set<String> importedModules(String module) {
        String own = MODULES.get(module);
        Set<String> out = new TreeSet<>();
        for (JavaClass c : classes) {
            if (!inRoot(c.getPackageName(), own)) {
                continue;
            }
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                moduleOf(d.getTargetClass().getBaseComponentType().getPackageName())
                        .filter(m -> !m.equals(module))
                        .ifPresent(out::add);
            }
        }
        return out;
    }

    private static Optional<String> moduleOf(String pkg) {
        return MODULES.entrySet().stream().filter(e -> inRoot(pkg, e.getValue())).map(Map.Entry::getKey).findFirst();
    }

    private static boolean inRoot(String pkg, String root) {
        return pkg.equals(root) || pkg.startsWith(root + ".");
    }

    /** The project modules ({@code undermoon-*}) a pom declares in compile scope. */
    private static Set<String> declaredModules(Path pom) throws Exception {
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
        Element project = doc.getDocumentElement();
        Set<String> out = new TreeSet<>();
        NodeList children = project.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (!(children.item(i) instanceof Element e) || !e.getTagName().equals("dependencies")) {
                continue;
            }
            NodeList deps = e.getElementsByTagName("dependency");
            for (int j = 0; j < deps.getLength(); j++) {
                Element dep = (Element) deps.item(j);
                String artifact = text(dep, "artifactId");
                String scope = text(dep, "scope");
                if (artifact.startsWith("undermoon-") && (scope.isEmpty() || scope.equals("compile"))) {
                    out.add(artifact.substring("undermoon-".length()));
                }
            }
        }
        return out;
    }

    private static String text(Element e, String tag) {
        NodeList l = e.getElementsByTagName(tag);
        return l.getLength() == 0 ? "" : l.item(0).getTextContent().trim();
    }

    private static Path projectRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !(Files.exists(p.resolve("proxy/pom.xml")) && Files.exists(p.resolve("resp/pom.xml")))) {
            p = p.getParent();
        }
        assertThat(p).as("the project root above %s", Path.of("").toAbsolutePath()).isNotNull();
        return p;
    }
}
