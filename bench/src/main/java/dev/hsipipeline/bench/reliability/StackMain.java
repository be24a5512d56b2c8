package dev.hsipipeline.bench.reliability;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a {@link ReliabilityStack} as its own process until killed — the restart scenario's victim:
 * {@code kill -9} (Process.destroyForcibly) gives it no chance to flush or stop cleanly.
 *
 * <p>Args: {@code <repo> <data-dir> <work-dir> <sqs-port> <s3-port> <sfn-port> <visibility-s>}.
 * Prints {@code READY sqs=<url> sfn=<url> s3=<url> arn=<state machine>} once serving.
 */
public final class StackMain {
  private StackMain() {}

  public static void main(String[] args) throws Exception {
    ReliabilityStack.Options o =
        new ReliabilityStack.Options(
            Path.of(args[0]),
            Path.of(args[1]),
            Path.of(args[2]),
            Integer.parseInt(args[3]),
            Integer.parseInt(args[4]),
            Integer.parseInt(args[5]),
            Integer.parseInt(args[6]),
            false,
            Math.max(2, Runtime.getRuntime().availableProcessors() * 2),
            Map.of());
    ReliabilityStack stack = ReliabilityStack.start(o);
    System.out.println(
        "READY sqs="
            + stack.sqsEndpoint()
            + " sfn="
            + stack.sfnEndpoint()
            + " s3="
            + stack.s3Endpoint()
            + " arn="
            + stack.stateMachineArn());
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
