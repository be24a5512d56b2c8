package dev.hsipipeline.local.internal;

import dev.hsipipeline.local.StackSettings;
import dev.hsipipeline.local.aws.LocalSqs;
import dev.hsipipeline.local.aws.QueueSpec;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/** The environment every Batch job process of the local stack starts with (before its role). */
public final class JobEnvironment {

  private JobEnvironment() {}

  /** Region, endpoints, data bucket and processor queue, as the job definitions expect them. */
  public static Map<String, String> of(
      StackSettings settings, URI s3Endpoint, LocalSqs sqs, Map<String, QueueSpec> queues) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("AWS_REGION", settings.region());
    env.put("AWS_DEFAULT_REGION", settings.region());
    env.put("AWS_ENDPOINT_URL_S3", s3Endpoint.toString());
    env.put("AWS_ENDPOINT_URL_SQS", sqs.endpoint().toString());
    env.put("DATA_BUCKET", settings.dataBucket());
    // The local stack exists to test the pipeline: jobs honour an event's "faults" here, never
    // on AWS (the job definitions do not set this; ADR 0040).
    env.put("PIPELINE_FAULT_INJECTION", "true");
    QueueSpec processor = queues.get("processor");
    if (processor != null) {
      env.put("PROCESSOR_QUEUE_URL", sqs.queueUrl(processor.name()));
    }
    return env;
  }
}
