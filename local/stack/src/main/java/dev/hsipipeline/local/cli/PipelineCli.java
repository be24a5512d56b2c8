package dev.hsipipeline.local.cli;

import dev.hsipipeline.local.StackSettings;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The {@code pipeline} command line: runs the local stack ({@code up}, {@code demo}) and talks to a
 * running one ({@code send}, {@code executions}, {@code describe}, {@code history}, {@code logs},
 * {@code sample-scene}) through its endpoints file with the standard AWS SDK clients, and runs the
 * jobs' steps on local files ({@code cog}, {@code process}).
 */
@Command(
    name = "pipeline",
    mixinStandardHelpOptions = true,
    versionProvider = PipelineCli.Version.class,
    description = "The HSI pipeline (SQS -> Lambda -> Step Functions -> Batch), run locally.",
    subcommands = {
      UpCommand.class,
      DemoCommand.class,
      SendCommand.class,
      ExecutionsCommand.class,
      DescribeCommand.class,
      HistoryCommand.class,
      LogsCommand.class,
      SampleSceneCommand.class,
      CogCommand.class,
      ProcessCommand.class,
      ValidateCommand.class,
      HelpCommand.class
    })
public final class PipelineCli implements Runnable {

  @Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Local data dir (S3 objects, history, job logs, endpoints.env). Default: <repo>/.pipeline")
  Path dataDir;

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(),
        "Missing command: try 'pipeline demo', 'pipeline up' or 'pipeline --help'");
  }

  /** The data dir: the option, else {@code <repo>/.pipeline}. */
  Path dataDir() {
    return dataDir != null
        ? dataDir.toAbsolutePath().normalize()
        : StackSettings.findRepoRoot().resolve(".pipeline");
  }

  /** Settings for a stack run by this process. */
  StackSettings settings() {
    StackSettings s = StackSettings.defaults(StackSettings.findRepoRoot());
    // Lets a developer run another build of the function (e.g. an unminimised jar) unchanged.
    String trigger = System.getProperty("pipeline.trigger.jar");
    if (trigger != null && !trigger.isBlank()) {
      s = s.withTrigger(Path.of(trigger), s.triggerHandler());
    }
    return dataDir != null ? s.withDataDir(dataDir) : s;
  }

  public static void main(String[] args) {
    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }
    System.exit(
        execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** Runs one command line; returns the exit code (0 ok, 1 failed, 2 bad arguments). */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = new CommandLine(new PipelineCli());
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          if (ex instanceof StackNotRunningException
              || ex instanceof IllegalArgumentException
              || ex instanceof IllegalStateException
              || ex instanceof UncheckedIOException
              || ex instanceof SdkException) {
            commandLine.getErr().println("pipeline: " + ex.getMessage());
          } else {
            commandLine.getErr().println("pipeline: unexpected error: " + ex);
            ex.printStackTrace(commandLine.getErr());
          }
          commandLine.getErr().flush();
          return 1;
        });
    int code = cl.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** Version from the jar manifest when packaged. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = PipelineCli.class.getPackage().getImplementationVersion();
      return new String[] {"pipeline " + (v == null ? "(development build)" : v)};
    }
  }
}
