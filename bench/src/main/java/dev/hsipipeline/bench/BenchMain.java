package dev.hsipipeline.bench;

import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./pipeline bench} and {@code ./pipeline soak}: benchmarks side by side with their peers
 * and limits, and the long form of the reliability suite (bench/README.md). Exit codes: 0 ok, 1
 * failed, 2 bad arguments.
 */
@Command(
    name = "pipeline",
    mixinStandardHelpOptions = true,
    description = "Benchmarks and the reliability soak of the HSI pipeline.",
    subcommands = HelpCommand.class)
public final class BenchMain implements Runnable {

  @Spec CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs one command line; returns the exit code (0 ok, 1 failed, 2 bad arguments). */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    CommandLine cli =
        new CommandLine(new BenchMain())
            .addSubcommand(new BenchCommand(out, err))
            .addSubcommand(new SoakCommand(out));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    cli.setExecutionExceptionHandler(
        (e, command, parsed) -> {
          command.getErr().println("pipeline " + command.getCommandName() + ": failed: " + e);
          e.printStackTrace(command.getErr());
          return 1;
        });
    return cli.execute(args);
  }

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "Missing command: try 'pipeline bench --quick' or 'pipeline --help'");
  }
}
