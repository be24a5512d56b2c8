package dev.hsipipeline.local.sfn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hsipipeline.local.sfn.asl.TaskFailedException;
import dev.hsipipeline.local.sfn.asl.TaskInvocation;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * A real {@link StepFunctionsLocal} on an ephemeral port plus a real SDK v2 client pointed at it.
 * Task resources understood by its invoker:
 *
 * <ul>
 *   <li>{@code arn:aws:states:::test:echo} returns its parameters;
 *   <li>{@code arn:aws:states:::test:block} blocks until {@link #release()} or interruption;
 *   <li>{@code arn:aws:states:::test:fail} fails with {@code Test.Failed};
 *   <li>{@code arn:aws:states:::test:failUnlessRedriven} fails with {@code Test.Failed} unless its
 *       parameter {@code redrives} (pass {@code $$.Execution.RedriveCount}) is above 0;
 *   <li>{@code arn:aws:states:::test:count} records its parameters in {@link #counted} and returns
 *       them, or fails with {@code Test.Failed} while parameter {@code redrives} is below {@code
 *       failUntil} (1 when parameter {@code fail} is true, else 0).
 * </ul>
 */
final class SfnFixture implements AutoCloseable {
  static final String ROLE = "arn:aws:iam::000000000000:role/pipeline-sfn";
  static final ObjectMapper JSON = new ObjectMapper();

  static final String PASS_DEF =
      """
      {"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"ok":true},"ResultPath":"$.r","End":true}}}""";
  static final String ECHO_DEF =
      """
      {"StartAt":"Echo","States":{"Echo":{"Type":"Task","Resource":"arn:aws:states:::test:echo",
       "Parameters":{"value.$":"$.value"},"End":true}}}""";
  static final String BLOCK_DEF =
      """
      {"StartAt":"Block","States":{"Block":{"Type":"Task","Resource":"arn:aws:states:::test:block","End":true}}}""";
  static final String FAIL_DEF =
      """
      {"StartAt":"F","States":{"F":{"Type":"Fail","Error":"MyError","Cause":"it broke"}}}""";

  final StepFunctionsLocal server;
  final SfnClient client;
  final ConcurrentHashMap<String, Boolean> blocked = new ConcurrentHashMap<>();
  final ConcurrentLinkedQueue<JsonNode> counted = new ConcurrentLinkedQueue<>();
  private volatile CountDownLatch release = new CountDownLatch(1);

  SfnFixture() {
    this(null);
  }

  SfnFixture(Path dataDir) {
    this(dataDir, 2_000);
  }

  SfnFixture(Path dataDir, int hotExecutions) {
    server =
        StepFunctionsLocal.builder()
            .port(0)
            .dataDir(dataDir)
            .hotExecutions(hotExecutions)
            .taskInvoker(this::invoke)
            .build()
            .start();
    client = client(server.endpoint());
  }

  static SfnClient client(URI endpoint) {
    return SfnClient.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build();
  }

  private JsonNode invoke(TaskInvocation inv) throws TaskFailedException, InterruptedException {
    switch (inv.resource()) {
      case "arn:aws:states:::test:echo":
        return inv.parameters();
      case "arn:aws:states:::test:block":
        blocked.put(inv.executionArn(), true);
        try {
          release.await();
        } finally {
          blocked.remove(inv.executionArn());
        }
        return JSON.createObjectNode().put("released", true);
      case "arn:aws:states:::test:fail":
        throw new TaskFailedException("Test.Failed", "told to fail");
      case "arn:aws:states:::test:count":
        counted.add(inv.parameters());
        int failUntil =
            inv.parameters()
                .path("failUntil")
                .asInt(inv.parameters().path("fail").asBoolean() ? 1 : 0);
        if (inv.parameters().path("redrives").asInt() < failUntil) {
          throw new TaskFailedException("Test.Failed", "fails until the execution is redriven");
        }
        return inv.parameters();
      case "arn:aws:states:::test:failUnlessRedriven":
        if (inv.parameters().path("redrives").asInt() == 0) {
          throw new TaskFailedException("Test.Failed", "fails until the execution is redriven");
        }
        return JSON.createObjectNode().put("redrives", inv.parameters().path("redrives").asInt());
      default:
        throw new TaskFailedException(
            "States.TaskFailed", "unknown test resource " + inv.resource());
    }
  }

  void release() {
    release.countDown();
  }

  String createStateMachine(String name, String definition) {
    return client
        .createStateMachine(b -> b.name(name).definition(definition).roleArn(ROLE))
        .stateMachineArn();
  }

  DescribeExecutionResponse awaitStatus(String executionArn, ExecutionStatus status) {
    return Awaitility.await("execution " + executionArn + " reaching " + status)
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(10))
        .until(
            () -> client.describeExecution(b -> b.executionArn(executionArn)),
            d -> d.status() == status);
  }

  static void await(String what, BooleanSupplier condition) {
    Awaitility.await(what)
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(10))
        .until(condition::getAsBoolean);
  }

  @Override
  public void close() {
    client.close();
    server.close(); // interrupts blocked tasks; they must not complete first
    release();
  }
}
