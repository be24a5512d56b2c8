package dev.hsipipeline.terraform;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A copy of the Terraform root module (plus the files it reads: the state machine and the job
 * definitions) under {@code target/}, initialised once per test run from the local provider mirror.
 * Test classes get it as a parameter with {@code @ExtendWith(TerraformWorkspace.Extension.class)};
 * every class in the run shares the one copy.
 *
 * <p>Skips (disabled, with the reason) when {@code terraform} is not on PATH or no mirror holds
 * hashicorp/aws 5.x &ge; 5.100 for this platform. Never contacts a registry: the CLI config it
 * writes allows only the filesystem mirror, and {@code init} runs with {@code -plugin-dir} and
 * {@code -lockfile=readonly}, so the committed {@code .terraform.lock.hcl} must match the mirror.
 */
public final class TerraformWorkspace {

  /** Mirror locations searched in order (after {@code $TF_PLUGIN_DIR}). */
  private static final List<Path> MIRRORS =
      List.of(
          Path.of("/opt/tf-plugins"),
          Path.of(System.getProperty("user.home"), ".terraform.d", "plugins"));

  private static final Pattern AWS_5X = Pattern.compile("5\\.(\\d+)\\.(\\d+)");
  private static final Duration TIMEOUT = Duration.ofMinutes(20);

  private final Path repoRoot;
  private final Path moduleDir;
  private final Path terraform;
  private final Path mirror;
  private final Path cliConfig;

  private TerraformWorkspace(
      Path repoRoot, Path moduleDir, Path terraform, Path mirror, Path cliConfig) {
    this.repoRoot = repoRoot;
    this.moduleDir = moduleDir;
    this.terraform = terraform;
    this.mirror = mirror;
    this.cliConfig = cliConfig;
  }

  /** The repository root (the checkout this module lives in). */
  public Path repoRoot() {
    return repoRoot;
  }

  /** The working copy of {@code terraform/} that commands run in. */
  public Path moduleDir() {
    return moduleDir;
  }

  /** Runs {@code terraform <args>} in the working copy; output (stdout+stderr) is captured. */
  public Result run(String... args) {
    List<String> command = new ArrayList<>();
    command.add(terraform.toString());
    command.addAll(List.of(args));
    Path log;
    try {
      log = Files.createTempFile(moduleDir.getParent(), "terraform-", ".log");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(moduleDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    // Nothing from the caller's Terraform setup may change what runs here.
    env.keySet().removeIf(k -> k.startsWith("TF_") && !k.equals("TF_LOG"));
    env.put("TF_CLI_CONFIG_FILE", cliConfig.toString());
    env.put("TF_IN_AUTOMATION", "1");
    env.put("TF_INPUT", "0");
    env.put("CHECKPOINT_DISABLE", "1"); // no version check call to HashiCorp
    try {
      Process p = pb.start();
      if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        return new Result(command, -1, log, "timed out after " + TIMEOUT);
      }
      return new Result(command, p.exitValue(), log, null);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    }
  }

  /** Like {@link #run} but fails the test with terraform's output unless it exits 0. */
  public Result runOk(String... args) {
    Result r = run(args);
    if (r.exitCode() != 0) {
      fail(r.describe());
    }
    return r;
  }

  /**
   * One finished terraform command.
   *
   * @param command the command line
   * @param exitCode its exit code, -1 on timeout
   * @param log file holding stdout and stderr
   * @param problem why it did not finish, or null
   */
  public record Result(List<String> command, int exitCode, Path log, String problem) {

    /** Everything the command wrote, stdout and stderr interleaved as they were logged. */
    public String output() {
      try {
        return Files.readString(log, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** The command, its exit code and (the end of) its output, for failure messages. */
    public String describe() {
      String out = output();
      int max = 60_000;
      if (out.length() > max) {
        out =
            "[... "
                + (out.length() - max)
                + " chars cut ...]\n"
                + out.substring(out.length() - max);
      }
      return String.join(" ", command)
          + " exited "
          + exitCode
          + (problem == null ? "" : " (" + problem + ")")
          + ":\n"
          + out;
    }
  }

  // --- JUnit wiring -------------------------------------------------------------------------

  /**
   * Disables the tests (reported as skipped, with the reason) when terraform or the provider mirror
   * is missing, and resolves {@link TerraformWorkspace} parameters otherwise. The workspace is
   * created and initialised once per run.
   */
  public static final class Extension implements ExecutionCondition, ParameterResolver {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      Setup setup = setup(context);
      return setup.workspace().isPresent()
          ? ConditionEvaluationResult.enabled("terraform and the provider mirror are available")
          : ConditionEvaluationResult.disabled(setup.skipReason());
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
      return parameter.getParameter().getType() == TerraformWorkspace.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
      Setup setup = setup(context);
      if (setup.initFailure() != null) {
        fail("terraform init failed:\n" + setup.initFailure());
      }
      return setup.workspace().orElseThrow(() -> new IllegalStateException(setup.skipReason()));
    }

    private static Setup setup(ExtensionContext context) {
      return context
          .getRoot()
          .getStore(ExtensionContext.Namespace.create(TerraformWorkspace.class))
          .getOrComputeIfAbsent(Setup.class, k -> Setup.create(), Setup.class);
    }
  }

  /** The one-time setup: a workspace, a reason to skip, or an init failure. */
  private record Setup(
      Optional<TerraformWorkspace> workspace, String skipReason, String initFailure) {

    static Setup create() {
      Path repo = locateRepoRoot();
      Optional<Path> tf = findOnPath("terraform");
      if (tf.isEmpty()) {
        return skip(
            "terraform is not on PATH: skipping the Terraform module checks "
                + "(install Terraform >= 1.7 to run fmt/validate/test offline)");
      }
      Optional<Path> mirror = findMirror();
      if (mirror.isEmpty()) {
        return skip(
            "no provider mirror with hashicorp/aws 5.x (>= 5.100) for "
                + platform()
                + " in $TF_PLUGIN_DIR, /opt/tf-plugins or ~/.terraform.d/plugins: skipping the Terraform "
                + "module checks (they never download from the registry)");
      }
      try {
        Path work = repo.resolve("terraform").resolve("target").resolve("tf-work");
        deleteTree(work);
        copyModule(repo, work);
        Path cli = work.resolve("terraformrc");
        Files.writeString(
            cli,
            """
            # Written by TerraformWorkspace: providers come only from the local mirror.
            provider_installation {
              filesystem_mirror {
                path    = "%s"
                include = ["registry.terraform.io/hashicorp/*"]
              }
            }
            """
                .formatted(mirror.get().toString().replace("\\", "/")));
        TerraformWorkspace ws =
            new TerraformWorkspace(repo, work.resolve("terraform"), tf.get(), mirror.get(), cli);
        Result init =
            ws.run(
                "init",
                "-backend=false",
                "-no-color",
                "-input=false",
                // The committed lock file must already name the mirrored provider and its hash.
                "-lockfile=readonly",
                "-plugin-dir=" + mirror.get());
        return new Setup(Optional.of(ws), null, init.exitCode() == 0 ? null : init.describe());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot prepare the Terraform working copy", e);
      }
    }

    static Setup skip(String reason) {
      return new Setup(Optional.empty(), reason, null);
    }
  }

  /** The repository root: the parent of this module's directory. */
  static Path locateRepoRoot() {
    Path base =
        Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
    Path root = Files.isRegularFile(base.resolve("queues.json")) ? base.getParent() : base;
    if (!Files.isRegularFile(root.resolve("terraform/queues.json"))) {
      throw new IllegalStateException("cannot find terraform/queues.json from " + base);
    }
    return root;
  }

  /**
   * Copies what the module reads, keeping relative paths: {@code terraform/} (without build output
   * and {@code .terraform/}, with the lock file), {@code statemachine/} and every {@code
   * batch/<job>/job-definition.json}.
   */
  private static void copyModule(Path repo, Path work) throws IOException {
    Path src = repo.resolve("terraform");
    copyTree(
        src,
        work.resolve("terraform"),
        p -> {
          Path rel = src.relativize(p);
          String first = rel.getNameCount() == 0 ? "" : rel.getName(0).toString();
          return !(first.equals("target")
              || first.equals("src")
              || first.equals(".terraform")
              || first.equals("pom.xml")
              || rel.toString().endsWith(".tfstate"));
        });
    copyTree(repo.resolve("statemachine"), work.resolve("statemachine"), p -> true);
    try (Stream<Path> jobs = Files.list(repo.resolve("batch"))) {
      for (Path job : jobs.toList()) {
        Path def = job.resolve("job-definition.json");
        if (Files.isRegularFile(def)) {
          Path to =
              work.resolve("batch")
                  .resolve(job.getFileName().toString())
                  .resolve("job-definition.json");
          Files.createDirectories(to.getParent());
          Files.copy(def, to, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static void copyTree(Path from, Path to, java.util.function.Predicate<Path> include)
      throws IOException {
    Files.walkFileTree(
        from,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            if (!dir.equals(from) && !include.test(dir)) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            Files.createDirectories(to.resolve(from.relativize(dir).toString()));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            if (include.test(file)) {
              Files.copy(
                  file,
                  to.resolve(from.relativize(file).toString()),
                  StandardCopyOption.REPLACE_EXISTING);
            }
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      // Symlinks (e.g. .terraform/providers/... -> the mirror) are deleted, never followed.
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  static Optional<Path> findOnPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      for (String candidate : List.of(name, name + ".exe")) {
        Path p = Path.of(dir, candidate);
        if (Files.isRegularFile(p) && Files.isExecutable(p)) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }

  /** The first of $TF_PLUGIN_DIR and the usual locations holding a usable hashicorp/aws. */
  static Optional<Path> findMirror() {
    List<Path> candidates = new ArrayList<>();
    String env = System.getenv("TF_PLUGIN_DIR");
    if (env != null && !env.isBlank()) {
      candidates.add(Path.of(env));
    }
    candidates.addAll(MIRRORS);
    return findMirror(candidates, platform());
  }

  /**
   * The first candidate holding hashicorp/aws 5.x >= 5.100 for {@code platform} (e.g. linux_amd64).
   */
  static Optional<Path> findMirror(List<Path> candidates, String platform) {
    for (Path dir : candidates) {
      Path versions = dir.resolve("registry.terraform.io/hashicorp/aws");
      if (!Files.isDirectory(versions)) {
        continue;
      }
      try (Stream<Path> vs = Files.list(versions)) {
        boolean usable =
            vs.anyMatch(
                v -> {
                  Matcher m = AWS_5X.matcher(v.getFileName().toString());
                  return m.matches()
                      && Integer.parseInt(m.group(1)) >= 100
                      && hasBinary(v.resolve(platform));
                });
        if (usable) {
          return Optional.of(dir.toAbsolutePath());
        }
      } catch (IOException e) {
        // unreadable candidate: try the next one
      }
    }
    return Optional.empty();
  }

  private static boolean hasBinary(Path platformDir) {
    if (!Files.isDirectory(platformDir)) {
      return false;
    }
    try (Stream<Path> files = Files.list(platformDir)) {
      return files.anyMatch(f -> f.getFileName().toString().startsWith("terraform-provider-aws"));
    } catch (IOException e) {
      return false;
    }
  }

  /** Terraform's platform name, e.g. {@code linux_amd64}. */
  static String platform() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    String tfOs =
        os.contains("win")
            ? "windows"
            : os.contains("mac") || os.contains("darwin") ? "darwin" : "linux";
    String tfArch =
        switch (arch) {
          case "amd64", "x86_64" -> "amd64";
          case "aarch64", "arm64" -> "arm64";
          default -> arch;
        };
    return tfOs + "_" + tfArch;
  }
}
