package dev.hsipipeline.bench.probe;

/**
 * A job "image" with no dependencies for the end-to-end benchmark and the reliability suite: it
 * accepts the pipeline's command ({@code Ref::event}) and, like the real jobs' fault injection,
 * exits 1 while {@code AWS_BATCH_JOB_ATTEMPT <= faults.failAttempts} (transient) and 2 when the
 * event asks for {@code "permanent": true} (bad input). Parsing is a regex on purpose: a JSON
 * library would dominate the start-up this job exists to keep minimal.
 */
public final class NoopJob {
  private NoopJob() {}

  public static void main(String[] args) {
    String event = args.length > 0 ? args[0] : "";
    int attempt = Integer.parseInt(System.getenv().getOrDefault("AWS_BATCH_JOB_ATTEMPT", "1"));
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\"failAttempts\"\\s*:\\s*(\\d+)").matcher(event);
    int failAttempts = m.find() ? Integer.parseInt(m.group(1)) : 0;
    if (attempt <= failAttempts) {
      System.out.println(
          "{\"level\":\"ERROR\",\"msg\":\"injected transient failure\",\"attempt\":"
              + attempt
              + "}");
      System.exit(1);
    }
    if (event.matches("(?s).*\"permanent\"\\s*:\\s*true.*")) {
      System.out.println(
          "{\"level\":\"ERROR\",\"msg\":\"bad input: event asks for a permanent failure\"}");
      System.exit(2);
    }
    System.out.println("{\"level\":\"INFO\",\"msg\":\"done\",\"attempt\":" + attempt + "}");
  }
}
