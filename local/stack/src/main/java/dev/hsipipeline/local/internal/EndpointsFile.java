package dev.hsipipeline.local.internal;

import dev.hsipipeline.local.LocalStack;
import dev.hsipipeline.local.StackSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code <dataDir>/endpoints.env}: the running stack's endpoints as shell exports, owned by the
 * process whose pid it names so that a second stack's exit never removes the first one's file.
 */
public final class EndpointsFile {

  private EndpointsFile() {}

  /** The variables of {@code endpoints.env} for a started stack, in file order. */
  public static Map<String, String> variables(LocalStack stack) {
    StackSettings settings = stack.settings();
    Map<String, String> v = new LinkedHashMap<>();
    v.put("AWS_ENDPOINT_URL_SQS", stack.sqsEndpoint().toString());
    v.put("AWS_ENDPOINT_URL_S3", stack.s3Endpoint().toString());
    v.put("AWS_ENDPOINT_URL_SFN", stack.sfnEndpoint().toString());
    // Some tools spell the service id differently; both point at the same server.
    v.put("AWS_ENDPOINT_URL_STEPFUNCTIONS", stack.sfnEndpoint().toString());
    v.put("AWS_REGION", settings.region());
    v.put("AWS_DEFAULT_REGION", settings.region());
    v.put("AWS_ACCESS_KEY_ID", LocalStack.ACCESS_KEY);
    v.put("AWS_SECRET_ACCESS_KEY", LocalStack.SECRET_KEY);
    v.put("STATE_MACHINE_ARN", stack.stateMachineArn());
    stack
        .queues()
        .forEach(
            (role, q) -> {
              String key = role.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
              v.put(key + "_QUEUE_URL", stack.queueUrl(role));
              if (q.hasDeadLetterQueue()) {
                v.put(key + "_DLQ_URL", stack.dlqUrl(role));
              }
            });
    v.put("DATA_BUCKET", settings.dataBucket());
    v.put("PIPELINE_CONSOLE_URL", stack.consoleUrl());
    v.put("PIPELINE_DATA_DIR", settings.dataDir().toString());
    return v;
  }

  /** Writes {@code variables} to {@code file} atomically, stamped with this process's pid. */
  public static void write(Path file, Map<String, String> variables) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Local HSI pipeline endpoints, written by the running stack (pid ")
        .append(ProcessHandle.current().pid())
        .append(").\n")
        .append("# Point the AWS CLI, boto3 or any SDK at the stack:  source ")
        .append(file)
        .append('\n')
        .append(
            "# (S3: use path-style addressing, e.g. aws configure set default.s3.addressing_style path;\n")
        .append(
            "#  AWS CLI v1's 'aws sqs' ignores AWS_ENDPOINT_URL_SQS: add --endpoint-url \"$AWS_ENDPOINT_URL_SQS\")\n");
    variables.forEach(
        (k, val) ->
            sb.append("export ").append(k).append('=').append(shellQuote(val)).append('\n'));
    sb.append(ownerLine()).append('\n');
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.writeString(tmp, sb);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Removes {@code file} if this process wrote it; another stack's file stays. */
  public static void removeIfOwned(Path file) throws IOException {
    if (Files.isRegularFile(file) && Files.readString(file).contains(ownerLine())) {
      Files.deleteIfExists(file);
    }
  }

  private static String ownerLine() {
    return "PIPELINE_PID=" + ProcessHandle.current().pid();
  }

  private static String shellQuote(String v) {
    return v.matches("[A-Za-z0-9_@%+=:,./-]*") ? v : "'" + v.replace("'", "'\\''") + "'";
  }
}
