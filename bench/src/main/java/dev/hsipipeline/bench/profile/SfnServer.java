package dev.hsipipeline.bench.profile;

import dev.hsipipeline.local.sfn.StepFunctionsLocal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The local Step Functions API with one Pass-state machine, in its own JVM until killed, for the
 * trigger profile of {@code bench/trigger/warm.sh} (client and server CPU told apart). Writes
 * {@code endpoint=} and {@code stateMachineArn=} lines to {@code --info} once it listens.
 */
@Command(
    name = "sfn-server",
    mixinStandardHelpOptions = true,
    description = "Runs the local Step Functions API with a Pass-state machine until killed.")
public final class SfnServer implements Callable<Integer> {

  @Option(names = "--port", defaultValue = "0", description = "0: any free port.")
  int port;

  @Option(names = "--hot-executions", defaultValue = "0", description = "Executions kept hot.")
  int hotExecutions;

  @Option(names = "--info", paramLabel = "FILE", description = "Where to write endpoint and ARN.")
  Path info;

  public static void main(String[] args) {
    System.exit(new CommandLine(new SfnServer()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    StepFunctionsLocal server =
        StepFunctionsLocal.builder()
            .host("127.0.0.1")
            .port(port)
            .hotExecutions(hotExecutions)
            .build()
            .start();
    String arn =
        server.createOrUpdateStateMachine(
            "bench-trigger",
            "{\"StartAt\":\"Accept\",\"States\":{\"Accept\":{\"Type\":\"Pass\",\"End\":true}}}",
            "arn:aws:iam::000000000000:role/bench");
    String text = "endpoint=" + server.endpoint() + "\nstateMachineArn=" + arn + "\n";
    if (info != null) {
      Files.createDirectories(info.toAbsolutePath().getParent());
      Path tmp = info.resolveSibling(info.getFileName() + ".tmp");
      Files.writeString(tmp, text);
      Files.move(tmp, info, StandardCopyOption.ATOMIC_MOVE);
    }
    System.out.print(text);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    new CountDownLatch(1).await();
    return 0;
  }
}
