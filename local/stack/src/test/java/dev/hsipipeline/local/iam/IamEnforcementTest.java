package dev.hsipipeline.local.iam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hsipipeline.local.LocalStack;
import dev.hsipipeline.local.StackClients;
import dev.hsipipeline.local.StackSettings;
import dev.hsipipeline.local.esm.LambdaFunction;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * The local stack authorises every call of the pipeline's principals against the policies rendered
 * from terraform/policies — the same files Terraform attaches — so a missing permission fails
 * locally the way it fails on AWS.
 */
class IamEnforcementTest {

  @TempDir Path tmp;

  /** The trigger's output (its JSON log lines go to the process's stdout). */
  private final ByteArrayOutputStream triggerLog = new ByteArrayOutputStream();

  private LocalStack start(Path policies) {
    StackSettings settings =
        StackSettings.defaults(StackSettings.findRepoRoot())
            .withDataDir(tmp.resolve("data-" + UUID.randomUUID()))
            .withEphemeralPorts()
            .withPoliciesDir(policies);
    String trigger = System.getProperty("pipeline.trigger.jar");
    if (trigger != null && !trigger.isBlank()) {
      settings = settings.withTrigger(Path.of(trigger), settings.triggerHandler());
    }
    return LocalStack.start(settings);
  }

  /** terraform/policies with one action removed from one principal's policy. */
  private Path policiesWithout(String principal, String action) throws Exception {
    Path repo = StackSettings.findRepoRoot().resolve("terraform/policies");
    Path copy = Files.createDirectories(tmp.resolve("policies-" + UUID.randomUUID()));
    try (var files = Files.list(repo)) {
      for (Path f : files.toList()) {
        Files.copy(f, copy.resolve(f.getFileName()));
      }
    }
    Path file = copy.resolve(principal + ".json");
    String text = Files.readString(file);
    String changed = text.replace("\"" + action + "\"", "\"" + action + "-removed-by-test\"");
    assertFalse(changed.equals(text), action + " is in " + file);
    Files.writeString(file, changed);
    return copy;
  }

  /**
   * A redelivery of a message whose execution already exists: the trigger must call
   * DescribeExecution (ExecutionAlreadyExists path) to tell a redelivery from a name collision.
   */
  private LambdaFunction.Result deliverTwice(LocalStack stack) {
    Message m =
        Message.builder()
            .messageId(UUID.randomUUID().toString())
            .receiptHandle("r-" + UUID.randomUUID())
            .body("{\"note\":\"routed to FailureState: no job needed\"}")
            .attributesWithStrings(
                Map.of("ApproximateReceiveCount", "1", "SentTimestamp", "1700000000000"))
            .build();
    // A queue the state machine does not route: the execution ends in FailureState at once.
    String source = "arn:aws:sqs:us-east-1:000000000000:some-other-queue";
    LambdaFunction.Result first = stack.trigger().invoke(List.of(m), source);
    assertTrue(first.allSucceeded(), "first delivery starts the execution: " + first);
    return stack.trigger().invoke(List.of(m), source);
  }

  private LambdaFunction.Result withTriggerLog(
      java.util.function.Supplier<LambdaFunction.Result> r) {
    PrintStream original = System.out;
    System.setOut(new PrintStream(new Tee(original, triggerLog), true, StandardCharsets.UTF_8));
    try {
      return r.get();
    } finally {
      System.setOut(original);
    }
  }

  @Test
  void redeliveryFailsWithAccessDeniedWhenTheTriggerMayNotDescribeExecutions() throws Exception {
    PrintStream original = System.out;
    // The handler keeps the stdout it was constructed with: capture from the stack's start.
    System.setOut(new PrintStream(new Tee(original, triggerLog), true, StandardCharsets.UTF_8));
    try (LocalStack stack = start(policiesWithout("trigger", "states:DescribeExecution"))) {
      LambdaFunction.Result again = deliverTwice(stack);
      assertFalse(again.allSucceeded(), "the redelivered record fails, as on AWS");
      String log = triggerLog.toString(StandardCharsets.UTF_8);
      assertTrue(log.contains("AccessDeniedException"), log);
      assertTrue(
          log.contains(
              "assumed-role/hsi-pipeline-trigger/sfn-trigger is not authorized to perform:"
                  + " states:DescribeExecution on resource: arn:aws:states:us-east-1:000000000000:"
                  + "execution:hsi-pipeline:"),
          log);
    } finally {
      System.setOut(original);
    }
  }

  @Test
  void redeliveryIsADuplicateWithTheModulesPolicy() {
    try (LocalStack stack = start(StackSettings.findRepoRoot().resolve("terraform/policies"))) {
      LambdaFunction.Result again = withTriggerLog(() -> deliverTwice(stack));
      assertTrue(again.allSucceeded(), "a redelivery counts as success: " + again);
      assertTrue(
          stack.iam().iam().calls().get("trigger").contains("states:DescribeExecution"),
          "the redelivery went through DescribeExecution");
    }
  }

  @Test
  void theConsolePageActsAsTheOperatorAndOtherUnsignedCallsAreRefused() throws Exception {
    try (LocalStack stack = start(StackSettings.findRepoRoot().resolve("terraform/policies"));
        HttpClient http = HttpClient.newHttpClient()) {
      String list = "{\"stateMachineArn\":\"" + stack.stateMachineArn() + "\"}";
      HttpRequest.Builder unsigned =
          HttpRequest.newBuilder(stack.sfnEndpoint())
              .header("Content-Type", "application/x-amz-json-1.0")
              .header("X-Amz-Target", "AWSStepFunctions.ListExecutions")
              .POST(HttpRequest.BodyPublishers.ofString(list));
      HttpResponse<String> refused = http.send(unsigned.build(), BodyHandlers.ofString());
      assertEquals(400, refused.statusCode());
      assertTrue(refused.body().contains("UnrecognizedClientException"), refused.body());

      HttpResponse<String> console =
          http.send(
              unsigned.header(LocalIam.CONSOLE_HEADER, "console").build(), BodyHandlers.ofString());
      assertEquals(200, console.statusCode(), console.body());
      assertTrue(console.body().contains("\"executions\""), console.body());
    }
  }

  @Test
  void eachPrincipalIsLimitedToItsPolicyOnEveryLocalService() {
    try (LocalStack stack = start(StackSettings.findRepoRoot().resolve("terraform/policies"))) {
      LocalIam.Credentials processor = stack.iam().credentials("job-processor");
      var creds =
          StaticCredentialsProvider.create(
              AwsBasicCredentials.create(processor.accessKeyId(), processor.secretAccessKey()));
      try (S3Client s3 = StackClients.s3(stack, creds);
          SqsClient sqs = StackClients.sqs(stack, creds);
          SfnClient sfn = StackClients.sfn(stack, creds)) {
        // Allowed: the processor writes under products/.
        s3.putObject(b -> b.bucket("hsi-data").key("products/x/stats.json"), body("{}"));
        // Denied: items/ is the activator's.
        S3Exception s3Denied =
            assertThrows(
                S3Exception.class,
                () -> s3.putObject(b -> b.bucket("hsi-data").key("items/x.json"), body("{}")));
        assertEquals(403, s3Denied.statusCode());
        assertEquals("AccessDenied", s3Denied.awsErrorDetails().errorCode());
        assertTrue(
            s3Denied
                .getMessage()
                .contains(
                    "is not authorized to perform: s3:PutObject on resource:"
                        + " arn:aws:s3:::hsi-data/items/x.json because no identity-based policy"
                        + " allows the s3:PutObject action"),
            s3Denied.getMessage());
        // Denied: only the activator may send to the processor queue.
        SqsException sqsDenied =
            assertThrows(
                SqsException.class,
                () ->
                    sqs.sendMessage(
                        b -> b.queueUrl(stack.queueUrl("processor")).messageBody("{}")));
        assertEquals(403, sqsDenied.statusCode());
        assertTrue(sqsDenied.getMessage().contains("sqs:SendMessage"), sqsDenied.getMessage());
        // Denied: jobs have no Step Functions access at all.
        SfnException sfnDenied =
            assertThrows(
                SfnException.class,
                () -> sfn.listExecutions(b -> b.stateMachineArn(stack.stateMachineArn())));
        assertEquals("AccessDeniedException", sfnDenied.awsErrorDetails().errorCode());
        assertTrue(
            sfnDenied.getMessage().contains("states:ListExecutions"), sfnDenied.getMessage());
      }
      // A wrong secret is refused by every service's signature check.
      var forgedCreds =
          StaticCredentialsProvider.create(
              AwsBasicCredentials.create(processor.accessKeyId(), "not-the-secret"));
      try (S3Client forged = StackClients.s3(stack, forgedCreds);
          SqsClient forgedSqs = StackClients.sqs(stack, forgedCreds);
          SfnClient forgedSfn = StackClients.sfn(stack, forgedCreds)) {
        S3Exception e =
            assertThrows(
                S3Exception.class,
                () -> forged.putObject(b -> b.bucket("hsi-data").key("products/y"), body("{}")));
        assertEquals(403, e.statusCode());
        SqsException sqsForged =
            assertThrows(
                SqsException.class,
                () -> forgedSqs.getQueueUrl(b -> b.queueName("activator-queue")));
        assertEquals(403, sqsForged.statusCode());
        assertEquals("SignatureDoesNotMatch", sqsForged.awsErrorDetails().errorCode());
        SfnException sfnForged =
            assertThrows(
                SfnException.class,
                () -> forgedSfn.listExecutions(b -> b.stateMachineArn(stack.stateMachineArn())));
        assertEquals(403, sfnForged.statusCode());
        assertEquals("InvalidSignatureException", sfnForged.awsErrorDetails().errorCode());
        assertTrue(
            sfnForged.getMessage().contains("The request signature we calculated does not match"),
            sfnForged.getMessage());
      }
    }
  }

  @Test
  void aStateMachineRoleWithoutTheSyncRuleCannotBeCreated() throws Exception {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> start(policiesWithout("state-machine", "events:PutRule")).close());
    assertTrue(e.getMessage().contains("is not authorized to create managed-rule"), e.getMessage());
  }

  private static software.amazon.awssdk.core.sync.RequestBody body(String s) {
    return software.amazon.awssdk.core.sync.RequestBody.fromString(s);
  }

  /** Copies to two streams. */
  private static final class Tee extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    Tee(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public synchronized void write(int c) throws java.io.IOException {
      a.write(c);
      b.write(c);
    }

    @Override
    public synchronized void write(byte[] buf, int off, int len) throws java.io.IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }
  }
}
