package dev.hsipipeline.checks;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dev.hsipipeline.checks.fixture.a.Offender;
import dev.hsipipeline.checks.fixture.b.internal.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The layout rule of the code standard, enforced: a package's {@code internal} subpackage is its
 * module's implementation. Public API lives at the package root; code in another module — main or
 * test — that needs something from {@code internal} needs a public API instead. Checked over every
 * module's main and test classes. (Within a module, a sibling package using another's internals is
 * allowed here; keep it rare.)
 */
class InternalPackagesTest {

  private static final String ROOT_PACKAGE = "dev.hsipipeline";

  @Test
  void noModuleUsesAnotherModulesInternals() {
    List<Path> modules = Repo.modules();
    rule(c -> moduleOf(c, modules)).check(allCompiledClasses(modules));
  }

  @Test
  void theRuleCatchesAReachIntoAnotherModulesInternals() {
    // Two stand-in modules, fixture.a and fixture.b; a uses b's internal class: must be reported.
    JavaClasses offender = new ClassFileImporter().importClasses(Offender.class, Target.class);
    EvaluationResult result =
        rule(c -> c.getPackageName().replaceAll(".*\\.fixture\\.(\\w+).*", "$1"))
            .evaluate(offender);
    assertTrue(result.hasViolation(), "the rule let an internal access through");
    assertTrue(
        result.getFailureReport().toString().contains(Target.class.getName()),
        result.getFailureReport().toString());
  }

  static ArchRule rule(Function<JavaClass, String> moduleOf) {
    return classes()
        .that()
        .resideInAPackage(ROOT_PACKAGE + "..")
        .should(useNoInternalsOfOtherModules(moduleOf))
        .because("an internal package is its module's implementation (CONTRIBUTING.md, Layout)");
  }

  private static ArchCondition<JavaClass> useNoInternalsOfOtherModules(
      Function<JavaClass, String> moduleOf) {
    return new ArchCondition<>("use no internal package of another module") {
      @Override
      public void check(JavaClass origin, ConditionEvents events) {
        for (Dependency d : origin.getDirectDependenciesFromSelf()) {
          JavaClass target = d.getTargetClass().getBaseComponentType();
          String owner = internalOwner(target.getPackageName());
          if (owner != null
              && !within(origin.getPackageName(), owner)
              && !moduleOf.apply(origin).equals(moduleOf.apply(target))) {
            events.add(SimpleConditionEvent.violated(d, d.getDescription()));
          }
        }
      }
    };
  }

  /** The module directory a class was compiled into, e.g. {@code local/stack}. */
  private static String moduleOf(JavaClass c, List<Path> modules) {
    String location = c.getSource().map(src -> src.getUri().getPath()).orElse("");
    for (Path module : modules) {
      if (location.startsWith(module.toUri().getPath() + "target/")
          || location.startsWith(module.toUri().getPath() + "/target/")) {
        return Repo.root().relativize(module).toString();
      }
    }
    return "outside the repository";
  }

  /** The package whose implementation {@code pkg} is, or null if {@code pkg} is not internal. */
  static String internalOwner(String pkg) {
    if (!within(pkg, ROOT_PACKAGE)) {
      return null;
    }
    String dotted = "." + pkg + ".";
    int at = dotted.indexOf(".internal.");
    return at < 0 ? null : pkg.substring(0, at - 1);
  }

  private static boolean within(String pkg, String tree) {
    return pkg.equals(tree) || pkg.startsWith(tree + ".");
  }

  private static JavaClasses allCompiledClasses(List<Path> modules) {
    List<Path> dirs = new ArrayList<>();
    for (Path module : modules) {
      for (String[] kind : new String[][] {{"main", "classes"}, {"test", "test-classes"}}) {
        if (Files.isDirectory(module.resolve("src").resolve(kind[0]).resolve("java"))) {
          Path classes = module.resolve("target").resolve(kind[1]);
          // A missing directory would make the check pass vacuously: build the module first.
          assertTrue(Files.isDirectory(classes), classes + " is missing: compile " + module);
          dirs.add(classes);
        }
      }
    }
    assertFalse(dirs.isEmpty(), "no compiled classes found under " + Repo.root());
    return new ClassFileImporter().importPaths(dirs);
  }
}
