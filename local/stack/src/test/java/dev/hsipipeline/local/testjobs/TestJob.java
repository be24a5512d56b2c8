package dev.hsipipeline.local.testjobs;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A job main for Batch runner tests, packaged at test time into {@code <job>/target/<job>.jar} with
 * no dependencies (so it starts fast). Its first argument is the event; numbers in it steer the
 * behaviour: {@code "sleepMs"}, {@code "exit"}, {@code "failAttempts"} (exit 1 while
 * AWS_BATCH_JOB_ATTEMPT &lt;= n). It prints its arguments and a few environment variables.
 */
public final class TestJob {
  private TestJob() {}

  public static void main(String[] args) throws InterruptedException {
    String event = args.length > 0 ? args[0] : "";
    int attempt = Integer.parseInt(System.getenv().getOrDefault("AWS_BATCH_JOB_ATTEMPT", "1"));
    System.out.println("args=" + String.join("|", args));
    System.out.println(
        "attempt="
            + attempt
            + " jobId="
            + System.getenv("AWS_BATCH_JOB_ID")
            + " queue="
            + System.getenv("AWS_BATCH_JQ_NAME"));
    System.out.println(
        "env.GREETING="
            + System.getenv("GREETING")
            + " env.DATA_BUCKET="
            + System.getenv("DATA_BUCKET")
            + " env.PIPELINE_EXECUTION_ARN="
            + System.getenv("PIPELINE_EXECUTION_ARN"));
    System.err.println("stderr line from attempt " + attempt);
    long sleep = number(event, "sleepMs", 0);
    if (sleep > 0) {
      Thread.sleep(sleep);
    }
    long failAttempts = number(event, "failAttempts", 0);
    if (attempt <= failAttempts) {
      System.err.println("transient failure on attempt " + attempt);
      System.exit(1);
    }
    System.exit((int) number(event, "exit", 0));
  }

  private static long number(String json, String key, long dflt) {
    Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*(\\d+)").matcher(json);
    return m.find() ? Long.parseLong(m.group(1)) : dflt;
  }
}
