package dev.hsipipeline.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hsipipeline.local.batch.JobListener;
import dev.hsipipeline.local.sfn.ExecutionInfo;
import dev.hsipipeline.local.sfn.ExecutionListener;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Live progress lines for long-running commands: executions started/ended, states entered, Batch
 * jobs changing status. Called from execution and job threads, so printing is synchronized.
 */
final class Progress implements ExecutionListener, JobListener {
  private final PrintWriter out;
  private final long t0 = System.nanoTime();
  private final Map<String, String> lastJobStatus = new ConcurrentHashMap<>();

  Progress(PrintWriter out) {
    this.out = out;
  }

  private synchronized void line(String s) {
    out.printf("%8s  %s%n", String.format("+%.1fs", (System.nanoTime() - t0) / 1e9), s);
    out.flush();
  }

  @Override
  public void executionStarted(ExecutionInfo e) {
    line("execution " + e.name() + " started");
  }

  @Override
  public void stateEntered(ExecutionInfo e, String stateName, String eventType) {
    line(
        "execution "
            + e.name()
            + "  -> "
            + stateName
            + " ("
            + eventType.replace("StateEntered", "")
            + ")");
  }

  @Override
  public void executionEnded(ExecutionInfo e) {
    String took =
        e.stopDate() != null && e.startDate() != null
            ? " in " + seconds(Duration.between(e.startDate(), e.stopDate()))
            : "";
    String why =
        e.error() != null
            ? " [" + e.error() + (e.cause() != null ? ": " + Table.oneLine(e.cause()) : "") + "]"
            : "";
    line("execution " + e.name() + " " + e.status() + took + why);
  }

  @Override
  public void jobChanged(JsonNode job) {
    String id = job.path("jobId").asText();
    String status = job.path("status").asText();
    if (status.equals(lastJobStatus.put(id, status))) {
      return;
    }
    if (status.equals("SUBMITTED") || status.equals("STARTING")) {
      return; // RUNNABLE and RUNNING say enough
    }
    String extra = "";
    if (status.equals("RUNNING")) {
      extra = " (attempt " + (job.path("attempts").size() + 1) + ")";
    } else if (status.equals("FAILED")) {
      extra = " (" + job.path("statusReason").asText() + ")";
    } else if (status.equals("SUCCEEDED")) {
      long ms = job.path("stoppedAt").asLong() - job.path("createdAt").asLong();
      extra = " in " + seconds(Duration.ofMillis(ms));
      lastJobStatus.remove(id);
    }
    line("job " + job.path("jobName").asText() + " " + id + " " + status + extra);
  }

  static String seconds(Duration d) {
    return String.format("%.2fs", d.toMillis() / 1000.0);
  }

  static String time(Instant i) {
    return i == null ? "-" : i.toString();
  }
}
