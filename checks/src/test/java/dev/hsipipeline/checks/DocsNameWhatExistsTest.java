package dev.hsipipeline.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hsipipeline.local.cli.PipelineCli;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every file, {@code ./pipeline} command and ADR that a document (README, CONTRIBUTING, docs/**, a
 * module README) names exists — and every ADR a Java comment names. A doc that drifts from the code
 * fails the build instead of misleading the next reader.
 */
class DocsNameWhatExistsTest {

  private static final Set<String> NOT_IN_THE_REPOSITORY =
      Set.of(".git", "target", "node_modules", ".pipeline", ".idea", ".vscode");
  private static final Pattern LAUNCHER_ARM = Pattern.compile("(?m)^\\s{2}([a-z][a-z|-]*)\\)\\s*$");
  private static final Pattern ADR_FILE = Pattern.compile("(\\d{4})-.*\\.md");

  @Test
  void everyDocNamesOnlyFilesCommandsAndAdrsThatExist() {
    Path root = Repo.root();
    DocReferences refs = world(root);
    List<Path> docs = docs(root);
    assertTrue(docs.size() > 10, "found only " + docs + " under " + root);
    List<DocReferences.Broken> broken = new ArrayList<>();
    for (Path doc : docs) {
      broken.addAll(refs.check(relative(root, doc), Repo.read(doc)));
    }
    assertEquals("", lines(broken), broken.size() + " broken reference(s) in the docs");
  }

  @Test
  void everyAdrAJavaCommentNamesExists() {
    Path root = Repo.root();
    DocReferences refs = world(root);
    List<DocReferences.Broken> broken = new ArrayList<>();
    // The checks' own sources name missing ADRs on purpose (the test below).
    Path own = root.resolve("checks");
    for (Path source :
        walk(root).filter(p -> p.toString().endsWith(".java") && !p.startsWith(own)).toList()) {
      broken.addAll(refs.checkAdrReferences(relative(root, source), Repo.read(source)));
    }
    assertEquals("", lines(broken), broken.size() + " broken ADR reference(s) in the code");
  }

  @Test
  void theCheckReportsMissingFilesCommandsAndAdrs() {
    DocReferences refs =
        new DocReferences(
            Set.of(
                "docs",
                "docs/adr",
                "docs/adr/0031-trigger.md",
                "docs/local.md",
                "bench",
                "pipeline"),
            Set.of("docs", "bench", "pipeline"),
            Set.of("up", "test"),
            Set.of("0031"));
    String doc =
        """
        See [local](local.md), [gone](gone.md) and `docs/adr/0031-*`, `docs/adr/0099-*`.
        Run `./pipeline up`, then `./pipeline frobnicate`; ADR 0031 and ADRs 0031/0042 apply.
        ```
        bench/missing.sh --quick
        ```
        `s3://bucket/bench/x` and `payloads/` are not repository paths.
        <!-- paths below are relative to .pipeline/ -->
        ```
        bench/jobs/<id>.json
        ```
        """;
    List<String> found = refs.check("docs/guide.md", doc).stream().map(Object::toString).toList();
    assertEquals(
        List.of(
            "docs/guide.md:1: link (gone.md) points at no file",
            "docs/guide.md:1: `docs/adr/0099-*` names no file",
            "docs/guide.md:4: `bench/missing.sh` names no file",
            "docs/guide.md:2: `./pipeline frobnicate` is not a command of the launcher or the CLI"
                + " (known: [test, up])",
            "docs/guide.md:2: ADR 0042 has no file in docs/adr/",
            "docs/guide.md:1: ADR 0099 has no file in docs/adr/"),
        found);
  }

  /** What exists: files, top-level entries, the launcher's and the CLI's commands, the ADRs. */
  static DocReferences world(Path root) {
    Set<String> files = walk(root).map(p -> relative(root, p)).collect(Collectors.toSet());
    Set<String> topLevel =
        files.stream().filter(f -> !f.contains("/")).collect(Collectors.toCollection(TreeSet::new));
    Set<String> commands =
        new TreeSet<>(new CommandLine(new PipelineCli()).getSubcommands().keySet());
    Matcher arm = LAUNCHER_ARM.matcher(Repo.read(root.resolve("pipeline")));
    while (arm.find()) {
      commands.addAll(List.of(arm.group(1).split("\\|")));
    }
    Set<String> adrs = new TreeSet<>();
    for (String f : files) {
      if (f.startsWith("docs/adr/")) {
        Matcher m = ADR_FILE.matcher(f.substring("docs/adr/".length()));
        if (m.matches()) {
          adrs.add(m.group(1));
        }
      }
    }
    return new DocReferences(files, topLevel, commands, adrs);
  }

  /** README.md and CONTRIBUTING.md at the root, docs/**, every module's README (not results). */
  static List<Path> docs(Path root) {
    return walk(root)
        .filter(p -> p.toString().endsWith(".md"))
        .filter(
            p -> {
              String r = relative(root, p);
              return !r.contains("results/")
                  && (r.startsWith("docs/")
                      || r.equals("CONTRIBUTING.md")
                      || p.getFileName().toString().equals("README.md"));
            })
        .sorted()
        .toList();
  }

  private static Stream<Path> walk(Path root) {
    List<Path> all = new ArrayList<>();
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              if (!dir.equals(root)
                  && NOT_IN_THE_REPOSITORY.contains(dir.getFileName().toString())) {
                return FileVisitResult.SKIP_SUBTREE;
              }
              if (!dir.equals(root)) {
                all.add(dir);
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              all.add(file);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return all.stream();
  }

  private static String relative(Path root, Path p) {
    return root.relativize(p).toString().replace('\\', '/');
  }

  private static String lines(List<DocReferences.Broken> broken) {
    return broken.stream().map(b -> b + "\n").collect(Collectors.joining());
  }
}
