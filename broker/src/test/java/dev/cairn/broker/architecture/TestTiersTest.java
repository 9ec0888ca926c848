package dev.cairn.broker.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.commons.annotation.Testable;

/**
 * Goal: the broker's tests stay in their tier (CONTRIBUTING.md, "Two tiers of tests"). A unit
 * test, a class named {@code *Test} that surefire runs in {@code mvn test}, starts no broker, no
 * child JVM or other process and opens no socket; an integration test, named {@code *IT} and run
 * by failsafe in {@code mvn verify}, does one of these (else it belongs in the fast tier); and no
 * class with tests has a name that neither plugin runs. Method: ArchUnit reads the compiled test
 * classes; a test helper (a test-code class without tests, such as {@code Clients}) counts as
 * integration when it reaches a marker through other test code, so a unit test cannot start a
 * broker through a helper either. Each failure names the dependency and its line.
 */
class TestTiersTest {
    /** Classes whose use means a broker, a child JVM, another process or a socket. */
    private static final Set<String> MARKER_CLASSES = Set.of(
            "dev.cairn.broker.Broker",
            "dev.cairn.broker.Main",
            "dev.cairn.broker.testing.TestBroker",
            "dev.cairn.broker.testing.ChildBroker",
            "dev.cairn.broker.testing.FastWallClockBroker",
            "dev.cairn.broker.testing.RawMqttClient",
            "java.lang.ProcessBuilder",
            "java.lang.Process",
            "java.net.Socket",
            "java.net.ServerSocket",
            "java.net.DatagramSocket",
            "java.nio.channels.SocketChannel",
            "java.nio.channels.ServerSocketChannel");
    /** Packages whose use means sockets: the broker's transport and the MQTT client libraries. */
    private static final List<String> MARKER_PACKAGES =
            List.of("dev.cairn.broker.transport.", "org.eclipse.paho.", "com.hivemq.client.");

    private static JavaClasses testClasses;
    /** Top-level test-code classes that reach a marker, directly or through other test code. */
    private static Set<String> integration;

    @BeforeAll
    static void importTestClasses() {
        testClasses = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS)
                .importPackages("dev.cairn.broker");
        assertTrue(testClasses.contain("dev.cairn.broker.testing.TestBroker"), "no test classes imported");
        integration = integrationClasses(testClasses);
    }

    @Test
    void unitTestsStartNoBrokerProcessOrSocket() {
        noClasses()
                .that(inClassNamed("Test"))
                .should()
                .dependOnClassesThat(integrationMarker())
                .because("a class named *Test is a unit test (mvn test); one that starts a broker, a child JVM "
                        + "or a process or opens a socket is an integration test: name it *IT")
                .check(testClasses);
    }

    @Test
    void integrationTestsStartABrokerProcessOrSocket() {
        classes()
                .that(inClassNamed("IT"))
                .and()
                .areTopLevelClasses()
                .should(new ArchCondition<>("start a broker, a child JVM or a process, or open a socket") {
                    @Override
                    public void check(JavaClass item, ConditionEvents events) {
                        boolean reaches = integration.contains(item.getName());
                        events.add(
                                new SimpleConditionEvent(
                                        item,
                                        reaches,
                                        item.getName()
                                                + " uses nothing of a broker, a process or a socket: it is a unit test, name it *Test"));
                    }
                })
                .allowEmptyShould(false)
                .check(testClasses);
    }

    @Test
    void everyClassWithTestsIsNamedForOneOfTheTwoRunners() {
        classes()
                .that(haveTestMethods())
                .should(new ArchCondition<>("belong to a class named *Test (surefire) or *IT (failsafe)") {
                    @Override
                    public void check(JavaClass item, ConditionEvents events) {
                        String top = topLevelSimpleName(item);
                        boolean named = top.endsWith("Test") || top.endsWith("IT");
                        events.add(new SimpleConditionEvent(
                                item, named, item.getName() + " has tests that neither surefire nor failsafe runs"));
                    }
                })
                .check(testClasses);
    }

    /** Fixpoint: a test-code class is integration when it depends on a marker or on such a class. */
    private static Set<String> integrationClasses(JavaClasses imported) {
        Set<String> found = new HashSet<>();
        boolean grew = true;
        while (grew) {
            grew = false;
            for (JavaClass c : imported) {
                String top = topLevelName(c);
                if (found.contains(top)) {
                    continue;
                }
                for (Dependency d : c.getDirectDependenciesFromSelf()) {
                    JavaClass target = d.getTargetClass().getBaseComponentType();
                    if (isMarker(target)
                            || (!topLevelName(target).equals(top) && found.contains(topLevelName(target)))) {
                        found.add(top);
                        grew = true;
                        break;
                    }
                }
            }
        }
        return found;
    }

    private static boolean isMarker(JavaClass c) {
        String name = topLevelName(c);
        return MARKER_CLASSES.contains(name) || MARKER_PACKAGES.stream().anyMatch(name::startsWith);
    }

    private static DescribedPredicate<JavaClass> integrationMarker() {
        return DescribedPredicate.describe(
                "start a broker, a child JVM or a process or open a socket " + "(directly or through a test helper)",
                c -> isMarker(c) || integration.contains(topLevelName(c)));
    }

    private static DescribedPredicate<JavaClass> inClassNamed(String suffix) {
        return DescribedPredicate.describe(
                "are (in) a class named *" + suffix, c -> topLevelSimpleName(c).endsWith(suffix));
    }

    private static DescribedPredicate<JavaClass> haveTestMethods() {
        return DescribedPredicate.describe(
                "have test methods", c -> c.getMethods().stream().anyMatch(m -> m.isMetaAnnotatedWith(Testable.class)));
    }

    private static String topLevelName(JavaClass c) {
        String name = c.getName();
        int nested = name.indexOf('$');
        return nested < 0 ? name : name.substring(0, nested);
    }

    private static String topLevelSimpleName(JavaClass c) {
        String top = topLevelName(c);
        return top.substring(top.lastIndexOf('.') + 1);
    }
}
