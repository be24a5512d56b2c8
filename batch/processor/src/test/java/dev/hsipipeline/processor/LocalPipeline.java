package dev.hsipipeline.processor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hsipipeline.hsi.testdata.SyntheticScene;
import dev.hsipipeline.job.AwsClients;
import dev.hsipipeline.job.JobEnv;
import dev.hsipipeline.local.aws.LocalS3;
import dev.hsipipeline.local.aws.LocalSqs;
import dev.hsipipeline.local.aws.QueueSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Test/bench fixture: real LocalS3 + LocalSqs, job env, and helpers to run both jobs in-process.
 */
final class LocalPipeline implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String BUCKET = "hsi-data";

  final LocalS3 s3Server;
  final LocalSqs sqsServer;
  final S3Client s3;
  final SqsClient sqs;
  final String queueUrl;

  LocalPipeline(Path dataDir) {
    s3Server = LocalS3.start(new LocalS3.Config("127.0.0.1", 0, dataDir));
    s3Server.createBucket(BUCKET);
    sqsServer =
        LocalSqs.start(
            new LocalSqs.Config(
                "127.0.0.1",
                0,
                "us-east-1",
                "000000000000",
                List.of(new QueueSpec("processor-queue", "processor-dlq", 3, 30, 0))));
    queueUrl = sqsServer.queueUrl("processor-queue");
    JobEnv env = JobEnv.from(env(1));
    s3 = AwsClients.s3(env);
    sqs = AwsClients.sqs(env);
  }

  Map<String, String> env(int attempt) {
    Map<String, String> env = new HashMap<>();
    env.put("AWS_BATCH_JOB_ID", "job-" + attempt);
    env.put("AWS_BATCH_JOB_ATTEMPT", Integer.toString(attempt));
    env.put("AWS_BATCH_JQ_NAME", "local");
    env.put("AWS_REGION", "us-east-1");
    env.put("AWS_ACCESS_KEY_ID", "test");
    env.put("AWS_SECRET_ACCESS_KEY", "test");
    env.put("AWS_ENDPOINT_URL_S3", s3Server.endpoint().toString());
    env.put("AWS_ENDPOINT_URL_SQS", sqsServer.endpoint().toString());
    env.put("DATA_BUCKET", BUCKET);
    env.put("PROCESSOR_QUEUE_URL", queueUrl);
    env.put("PIPELINE_FAULT_INJECTION", "true"); // as the local stack sets it
    return env;
  }

  record Outcome(int code, String log) {}

  Outcome activator(String event) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int code =
        dev.hsipipeline.activator.Main.run(
            new String[] {event}, env(1), new PrintStream(buf, true, StandardCharsets.UTF_8));
    return new Outcome(code, buf.toString(StandardCharsets.UTF_8));
  }

  Outcome processor(String event, Map<String, String> env) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int code =
        Main.run(new String[] {event}, env, new PrintStream(buf, true, StandardCharsets.UTF_8));
    return new Outcome(code, buf.toString(StandardCharsets.UTF_8));
  }

  /** Uploads a scene, activates it and returns the processor message body the activator sent. */
  String activate(SyntheticScene scene, String baseKey) throws IOException {
    SyntheticScene.Uploaded up = scene.upload(s3, BUCKET, baseKey);
    Outcome o = activator("{\"scene\":\"" + up.headerUri() + "\"}");
    if (o.code() != 0) throw new IllegalStateException("activator failed: " + o.log());
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (Instant.now().isBefore(deadline)) {
      List<Message> m =
          sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(1).waitTimeSeconds(2))
              .messages();
      if (!m.isEmpty()) {
        sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.get(0).receiptHandle()));
        return m.get(0).body();
      }
    }
    throw new IllegalStateException("no processor message within 30 s");
  }

  byte[] get(String key) {
    return s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
  }

  JsonNode getJson(String key) throws IOException {
    return JSON.readTree(get(key));
  }

  boolean exists(String key) {
    try {
      s3.headObject(b -> b.bucket(BUCKET).key(key));
      return true;
    } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
      return false;
    } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
      if (e.statusCode() == 404) return false;
      throw e;
    }
  }

  static String fixture(String name, String item) throws IOException {
    try (InputStream in = LocalPipeline.class.getResourceAsStream("/events/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("${item}", item);
    }
  }

  @Override
  public void close() {
    s3.close();
    sqs.close();
    sqsServer.close();
    s3Server.close();
  }
}
