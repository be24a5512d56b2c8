package dev.hsipipeline.trigger;

import dev.hsipipeline.local.aws.LocalS3;
import dev.hsipipeline.local.sfn.StepFunctionsLocal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/** Real local servers for the trigger tests: Step Functions API and S3, on ephemeral ports. */
final class LocalAws implements AutoCloseable {

  static final String BUCKET = "hsi-data";
  static final String ROLE = "arn:aws:iam::000000000000:role/pipeline-sfn";
  static final String PASS_DEFINITION =
      """
      {"Comment": "trigger tests: accepts any input",
       "StartAt": "Accept",
       "States": {"Accept": {"Type": "Pass", "End": true}}}
      """;

  private static final AtomicInteger MACHINES = new AtomicInteger();

  final StepFunctionsLocal stepFunctions;
  final LocalS3 s3Server;
  final SfnClient sfn;
  final S3Client s3;

  LocalAws(Path dataDir) {
    stepFunctions = StepFunctionsLocal.builder().host("127.0.0.1").port(0).build().start();
    s3Server = LocalS3.start(new LocalS3.Config("127.0.0.1", 0, dataDir.resolve("s3")));
    s3Server.createBucket(BUCKET);
    var creds = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
    sfn =
        SfnClient.builder()
            .endpointOverride(stepFunctions.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(creds)
            .httpClient(UrlConnectionHttpClient.create())
            .build();
    s3 =
        S3Client.builder()
            .endpointOverride(s3Server.endpoint())
            .forcePathStyle(true)
            .region(Region.US_EAST_1)
            .credentialsProvider(creds)
            .httpClient(UrlConnectionHttpClient.create())
            .build();
  }

  /** A fresh state machine, so each test sees only its own executions. */
  String newStateMachine() {
    return stepFunctions.createOrUpdateStateMachine(
        "trigger-test-" + MACHINES.incrementAndGet(), PASS_DEFINITION, ROLE);
  }

  /** The environment the local stack passes to the handler (its Map constructor). */
  Map<String, String> env(String stateMachineArn) {
    Map<String, String> env = new HashMap<>();
    env.put("STATE_MACHINE_ARN", stateMachineArn);
    env.put("PAYLOAD_BUCKET", BUCKET);
    env.put("AWS_REGION", "us-east-1");
    env.put("AWS_ACCESS_KEY_ID", "test");
    env.put("AWS_SECRET_ACCESS_KEY", "test");
    env.put("AWS_ENDPOINT_URL_SFN", stepFunctions.endpoint().toString());
    env.put("AWS_ENDPOINT_URL_S3", s3Server.endpoint().toString());
    return env;
  }

  List<ExecutionListItem> executions(String stateMachineArn) {
    List<ExecutionListItem> all = new ArrayList<>();
    sfn.listExecutionsPaginator(b -> b.stateMachineArn(stateMachineArn).maxResults(1000))
        .executions()
        .forEach(all::add);
    return all;
  }

  String executionArn(String stateMachineArn, String name) {
    return stateMachineArn.replace(":stateMachine:", ":execution:") + ":" + name;
  }

  /** Polls (generous timeout for a loaded machine) until the execution has ended. */
  ExecutionStatus awaitEnd(String executionArn) {
    return Awaitility.await("the end of " + executionArn)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> sfn.describeExecution(b -> b.executionArn(executionArn)).status(),
            s -> s != ExecutionStatus.RUNNING);
  }

  @Override
  public void close() {
    sfn.close();
    s3.close();
    s3Server.close();
    stepFunctions.close();
  }
}
