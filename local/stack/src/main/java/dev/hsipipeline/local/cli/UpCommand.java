package dev.hsipipeline.local.cli;

import dev.hsipipeline.local.LocalStack;
import dev.hsipipeline.local.StackSettings;
import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code pipeline up}: runs the local stack until Ctrl-C. */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description =
        "Start the local stack (SQS, S3, Step Functions + console, Lambda trigger, Batch) until Ctrl-C.")
final class UpCommand implements java.util.concurrent.Callable<Integer> {
  @ParentCommand PipelineCli parent;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--sqs-port",
      paramLabel = "PORT",
      description = "SQS (ElasticMQ) port. Default: ${DEFAULT-VALUE}")
  int sqsPort = StackSettings.DEFAULT_SQS_PORT;

  @Option(
      names = "--s3-port",
      paramLabel = "PORT",
      description = "S3 (S3Proxy) port. Default: ${DEFAULT-VALUE}")
  int s3Port = StackSettings.DEFAULT_S3_PORT;

  @Option(
      names = {"--port", "--sfn-port"},
      paramLabel = "PORT",
      description = "Step Functions API and console port. Default: ${DEFAULT-VALUE}")
  int sfnPort = StackSettings.DEFAULT_SFN_PORT;

  @Option(
      names = "--vcpus",
      paramLabel = "N",
      description = "vCPU budget of the Batch runner. Default: the number of cores")
  Integer vcpus;

  @Option(names = "--quiet", description = "No live progress lines.")
  boolean quiet;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    StackSettings s = parent.settings().withPorts(sqsPort, s3Port, sfnPort);
    if (vcpus != null) {
      s = s.withVcpuBudget(vcpus);
    }
    Ports.requireFree(s);
    // Before the function loads: it may keep a reference to System.out from its init.
    java.nio.file.Path functionLog = FunctionLogs.redirect(s.dataDir());
    LocalStack stack = LocalStack.start(s).closeOnShutdown();
    if (!quiet) {
      Progress progress = new Progress(out);
      stack.stepFunctions().addListener(progress);
      stack.batch().addListener(progress);
    }
    printEndpoints(out, stack);
    out.println("Trigger Lambda log:              " + functionLog);
    out.println();
    out.println("Ctrl-C stops the stack.");
    out.flush();
    new CountDownLatch(1).await(); // the shutdown hook stops the stack
    return 0;
  }

  static void printEndpoints(PrintWriter out, LocalStack stack) {
    out.println("Local pipeline is up.");
    Table t = new Table("SERVICE", "ENDPOINT");
    t.row("Console", stack.consoleUrl());
    t.row("Step Functions", stack.sfnEndpoint());
    t.row("SQS", stack.sqsEndpoint());
    t.row("S3", stack.s3Endpoint() + "  (bucket " + stack.settings().dataBucket() + ")");
    t.print(out);
    out.println();
    Table q = new Table("QUEUE", "URL", "DLQ");
    stack.queues().keySet().forEach(role -> q.row(role, stack.queueUrl(role), stack.dlqUrl(role)));
    q.print(out);
    out.println();
    out.println("State machine: " + stack.stateMachineArn());
    out.println("Point the AWS CLI / SDKs at it:  source " + stack.settings().endpointsFile());
    out.println(
        "Send a message:                  ./pipeline send activator '{\"scene\":\"s3://hsi-data/...hdr\"}'");
    out.flush();
  }
}
