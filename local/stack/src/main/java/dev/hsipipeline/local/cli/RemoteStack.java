package dev.hsipipeline.local.cli;

import dev.hsipipeline.local.LocalStack;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A running local stack seen from another process, through its {@code endpoints.env} — the same
 * file a user sources for the AWS CLI. Every client is a plain AWS SDK client.
 */
final class RemoteStack implements AutoCloseable {
  private final Path file;
  private final Map<String, String> vars;
  private SqsClient sqs;
  private SfnClient sfn;
  private S3Client s3;

  private RemoteStack(Path file, Map<String, String> vars) {
    this.file = file;
    this.vars = vars;
  }

  /**
   * @throws StackNotRunningException when there is no endpoints file or the process that wrote it
   *     is gone
   */
  static RemoteStack connect(Path dataDir) {
    Path file = dataDir.resolve("endpoints.env");
    if (!Files.isRegularFile(file)) {
      throw new StackNotRunningException(
          "the local stack is not running (no " + file + "); start it with ./pipeline up");
    }
    Map<String, String> vars = parse(file);
    String pid = vars.get("PIPELINE_PID");
    if (pid != null && pid.matches("\\d+") && ProcessHandle.of(Long.parseLong(pid)).isEmpty()) {
      throw new StackNotRunningException(
          "the local stack is not running ("
              + file
              + " was written by process "
              + pid
              + ", which has ended); start it with ./pipeline up");
    }
    for (String k :
        new String[] {
          "AWS_ENDPOINT_URL_SQS", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_SFN", "STATE_MACHINE_ARN"
        }) {
      if (!vars.containsKey(k)) {
        throw new StackNotRunningException(
            file + " lacks " + k + "; restart the stack with ./pipeline up");
      }
    }
    return new RemoteStack(file, vars);
  }

  static Map<String, String> parse(Path file) {
    Map<String, String> vars = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(file)) {
        String l = line.strip();
        if (l.isEmpty() || l.startsWith("#")) {
          continue;
        }
        if (l.startsWith("export ")) {
          l = l.substring(7).strip();
        }
        int eq = l.indexOf('=');
        if (eq <= 0) {
          continue;
        }
        String v = l.substring(eq + 1);
        if (v.length() >= 2 && v.startsWith("'") && v.endsWith("'")) {
          v = v.substring(1, v.length() - 1).replace("'\\''", "'");
        }
        vars.put(l.substring(0, eq), v);
      }
    } catch (IOException e) {
      throw new StackNotRunningException("cannot read " + file + ": " + e.getMessage());
    }
    return vars;
  }

  String get(String name) {
    return vars.get(name);
  }

  String stateMachineArn() {
    return vars.get("STATE_MACHINE_ARN");
  }

  /** ARN of an execution given by ARN or by name. */
  String executionArn(String arnOrName) {
    if (arnOrName.startsWith("arn:")) {
      return arnOrName;
    }
    return stateMachineArn().replace(":stateMachine:", ":execution:") + ":" + arnOrName;
  }

  String queueUrl(String role) {
    String url = vars.get(role.toUpperCase(java.util.Locale.ROOT) + "_QUEUE_URL");
    if (url == null) {
      throw new IllegalArgumentException("unknown queue '" + role + "'");
    }
    return url;
  }

  SqsClient sqs() {
    if (sqs == null) {
      probe("AWS_ENDPOINT_URL_SQS");
      sqs =
          SqsClient.builder()
              .endpointOverride(URI.create(vars.get("AWS_ENDPOINT_URL_SQS")))
              .region(Region.of(vars.getOrDefault("AWS_REGION", "us-east-1")))
              .credentialsProvider(LocalStack.credentials())
              .httpClient(http())
              .build();
    }
    return sqs;
  }

  SfnClient sfn() {
    if (sfn == null) {
      probe("AWS_ENDPOINT_URL_SFN");
      sfn =
          SfnClient.builder()
              .endpointOverride(URI.create(vars.get("AWS_ENDPOINT_URL_SFN")))
              .region(Region.of(vars.getOrDefault("AWS_REGION", "us-east-1")))
              .credentialsProvider(LocalStack.credentials())
              .httpClient(http())
              .build();
    }
    return sfn;
  }

  S3Client s3() {
    if (s3 == null) {
      probe("AWS_ENDPOINT_URL_S3");
      s3 =
          S3Client.builder()
              .endpointOverride(URI.create(vars.get("AWS_ENDPOINT_URL_S3")))
              .region(Region.of(vars.getOrDefault("AWS_REGION", "us-east-1")))
              .forcePathStyle(true)
              .credentialsProvider(LocalStack.credentials())
              .httpClient(http())
              .build();
    }
    return s3;
  }

  /** Fails fast (no SDK retries with backoff) when nothing listens on an endpoint. */
  private void probe(String variable) {
    URI uri = URI.create(vars.get(variable));
    try (java.net.Socket s = new java.net.Socket()) {
      s.connect(new java.net.InetSocketAddress(uri.getHost(), uri.getPort()), 2000);
    } catch (IOException e) {
      throw new StackNotRunningException(
          "the local stack does not answer at "
              + uri
              + " ("
              + e.getMessage()
              + "); is it running? ("
              + file
              + " may be stale) start it with ./pipeline up");
    }
  }

  private static software.amazon.awssdk.http.SdkHttpClient http() {
    return UrlConnectionHttpClient.builder()
        .connectionTimeout(Duration.ofSeconds(3))
        .socketTimeout(Duration.ofSeconds(60))
        .build();
  }

  /** Runs a call, turning "connection refused" into a clear "not running" error. */
  <T> T call(Supplier<T> call) {
    try {
      return call.get();
    } catch (SdkClientException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof ConnectException) {
          throw new StackNotRunningException(
              "the local stack does not answer ("
                  + t.getMessage()
                  + "); is it running? ("
                  + file
                  + " may be stale) start it with ./pipeline up");
        }
      }
      throw e;
    }
  }

  @Override
  public void close() {
    if (sqs != null) {
      sqs.close();
    }
    if (sfn != null) {
      sfn.close();
    }
    if (s3 != null) {
      s3.close();
    }
  }
}
