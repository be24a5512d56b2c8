package dev.hsipipeline.trigger.bench;

import dev.hsipipeline.local.sfn.StepFunctionsLocal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the local Step Functions API with a Pass-state machine for the trigger benchmarks, until
 * killed. Writes {@code endpoint} and {@code stateMachineArn} lines to the file given by --info.
 *
 * <pre>java -cp ... LocalSfnServerMain --port 0 --info target/bench/sfn.info</pre>
 */
public final class LocalSfnServerMain {
  public static void main(String[] args) throws Exception {
    Map<String, String> a = WarmThroughputBench.parse(args);
    StepFunctionsLocal server =
        StepFunctionsLocal.builder()
            .host("127.0.0.1")
            .port(Integer.parseInt(a.getOrDefault("port", "0")))
            .hotExecutions(Integer.parseInt(a.getOrDefault("hot-executions", "0")))
            .build()
            .start();
    String arn =
        server.createOrUpdateStateMachine(
            "bench-trigger",
            "{\"StartAt\":\"Accept\",\"States\":{\"Accept\":{\"Type\":\"Pass\",\"End\":true}}}",
            "arn:aws:iam::000000000000:role/bench");
    String info = "endpoint=" + server.endpoint() + "\nstateMachineArn=" + arn + "\n";
    if (a.containsKey("info")) {
      Path p = Path.of(a.get("info"));
      Files.createDirectories(p.toAbsolutePath().getParent());
      Path tmp = p.resolveSibling(p.getFileName() + ".tmp");
      Files.writeString(tmp, info);
      Files.move(tmp, p, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
    System.out.print(info);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    new CountDownLatch(1).await();
  }

  private LocalSfnServerMain() {}
}
