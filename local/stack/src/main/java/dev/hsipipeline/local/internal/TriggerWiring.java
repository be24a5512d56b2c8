package dev.hsipipeline.local.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hsipipeline.local.StackSettings;
import dev.hsipipeline.local.aws.LocalSqs;
import dev.hsipipeline.local.aws.QueueSpec;
import dev.hsipipeline.local.esm.EventSourceMapping;
import dev.hsipipeline.local.esm.LambdaFunction;
import dev.hsipipeline.local.iam.LocalIam;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The Lambda side of the local stack: the trigger function loaded from its deployable artifact, and
 * one event source mapping per queue polling with the function's role, configured from {@code
 * terraform/queues.json} unless the settings override it.
 */
public final class TriggerWiring {

  /** Cap of the ESM long-poll wait (AWS: 20 s) so that stopping never waits long for a poll. */
  private static final int MAX_LOCAL_POLL_WAIT_SECONDS = 2;

  private TriggerWiring() {}

  /** The started trigger: its function, the SQS client its pollers use, the mappings. */
  public record Trigger(
      LambdaFunction function, SqsClient pollerClient, List<EventSourceMapping> mappings) {}

  /**
   * Loads the function and starts the mappings. Each resource is handed to {@code onCreated} as
   * soon as it exists (before the next can fail), so the caller can close what was started.
   */
  public static Trigger start(
      StackSettings settings,
      JsonNode queueSettings,
      LocalSqs sqs,
      Collection<QueueSpec> queues,
      LocalIam iam,
      Map<String, String> functionEnvironment,
      Consumer<AutoCloseable> onCreated) {
    // The event source mappings poll with the function's role, as Lambda's pollers do.
    LocalIam.Credentials role = iam.credentials(LocalIam.TRIGGER);
    SqsClient pollerClient =
        sqsClient(
            sqs.endpoint(),
            settings.region(),
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(role.accessKeyId(), role.secretAccessKey())));
    onCreated.accept(pollerClient);
    JsonNode triggerSettings = queueSettings.path("trigger");
    LambdaFunction function =
        LambdaFunction.load(
            new LambdaFunction.Config(
                settings.triggerArtifact(),
                settings.triggerHandler(),
                "sfn-trigger",
                functionEnvironment,
                settings.region(),
                settings.accountId(),
                triggerSettings.path("memory_mib").asInt(512),
                triggerSettings.path("timeout_seconds").asLong(30) * 1000));
    onCreated.accept(function);
    JsonNode esm = queueSettings.path("event_source_mapping");
    int batchSize =
        settings.batchSize() > 0 ? settings.batchSize() : esm.path("batch_size").asInt(10);
    Duration window =
        settings.batchingWindowMillis() >= 0
            ? Duration.ofMillis(settings.batchingWindowMillis())
            : Duration.ofMillis(
                Math.round(esm.path("maximum_batching_window_seconds").asDouble(0) * 1000));
    int concurrency = esm.path("maximum_concurrency").asInt(2);
    List<EventSourceMapping> mappings = new ArrayList<>();
    for (QueueSpec q : queues) {
      // Long polls return as soon as a message arrives, so the wait only bounds idle requests;
      // ElasticMQ holds an abandoned poll open until its wait ends, which would delay Ctrl-C.
      int wait =
          settings.receiveWaitSeconds() >= 0
              ? settings.receiveWaitSeconds()
              : Math.max(1, Math.min(MAX_LOCAL_POLL_WAIT_SECONDS, q.receiveWaitTimeSeconds()));
      mappings.add(
          EventSourceMapping.start(
              new EventSourceMapping.Settings(
                  sqs.queueUrl(q.name()),
                  sqs.queueArn(q.name()),
                  batchSize,
                  window,
                  concurrency,
                  wait),
              pollerClient,
              function));
    }
    return new Trigger(function, pollerClient, mappings);
  }

  /**
   * The trigger function's environment, as Lambda sets it plus the variables Terraform declares.
   */
  public static Map<String, String> functionEnvironment(
      StackSettings settings,
      JsonNode trigger,
      String stateMachineArn,
      LocalIam iam,
      URI sfnEndpoint,
      URI s3Endpoint) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("STATE_MACHINE_ARN", stateMachineArn);
    env.put("PAYLOAD_BUCKET", settings.dataBucket());
    env.put("PAYLOAD_PREFIX", "payloads/");
    env.put(
        "INLINE_PAYLOAD_LIMIT_BYTES", trigger.path("inline_payload_limit_bytes").asText("4096"));
    env.put("MAX_CONCURRENCY", trigger.path("max_concurrency").asText("32"));
    env.put("AWS_REGION", settings.region());
    env.put("AWS_DEFAULT_REGION", settings.region());
    env.putAll(iam.credentials(LocalIam.TRIGGER).environment());
    env.put("AWS_ENDPOINT_URL_SFN", sfnEndpoint.toString());
    env.put("AWS_ENDPOINT_URL_S3", s3Endpoint.toString());
    env.put("AWS_LAMBDA_FUNCTION_NAME", "sfn-trigger");
    env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", trigger.path("memory_mib").asText("512"));
    env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
    return env;
  }

  /** An SQS client of the local server with a socket timeout above the longest long poll. */
  public static SqsClient sqsClient(URI endpoint, String region, AwsCredentialsProvider creds) {
    return SqsClient.builder()
        .endpointOverride(endpoint)
        .region(Region.of(region))
        .credentialsProvider(creds)
        .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(45)))
        .build();
  }
}
