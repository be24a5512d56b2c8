package dev.hsipipeline.local.batch.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local Batch's files under {@code <dataDir>/batch}: one DescribeJobs-shaped record per job in
 * {@code jobs/<jobId>.json} (replaced atomically on every change), each attempt's log in {@code
 * logs/<jobId>/<attempt>.log} and working folder in {@code work/<jobId>/<attempt>}. On start it
 * ends the jobs a killed stack left unfinished.
 */
public final class JobRecordStore {

  private static final Logger LOG = LoggerFactory.getLogger(JobRecordStore.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dataDir;
  private final Path jobsDir;
  private final Path workDir;

  /**
   * Creates the folders.
   *
   * @throws UncheckedIOException when they cannot be created
   */
  public JobRecordStore(Path dataDir) {
    this.dataDir = dataDir;
    Path batch = dataDir.resolve("batch");
    this.jobsDir = batch.resolve("jobs");
    this.workDir = batch.resolve("work");
    try {
      Files.createDirectories(jobsDir);
      Files.createDirectories(batch.resolve("logs"));
      Files.createDirectories(workDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create Batch folders under " + batch, e);
    }
  }

  /** The job record file for a job id. */
  public static Path recordFile(Path dataDir, String jobId) {
    return dataDir.resolve("batch").resolve("jobs").resolve(jobId + ".json");
  }

  /** The log file of one attempt (1-based). */
  public static Path logFile(Path dataDir, String jobId, int attempt) {
    return dataDir.resolve("batch").resolve("logs").resolve(jobId).resolve(attempt + ".log");
  }

  /** The log file of one attempt of a job of this store. */
  public Path logFile(String jobId, int attempt) {
    return logFile(dataDir, jobId, attempt);
  }

  /** The working folder of one attempt (not created). */
  public Path workDir(String jobId, int attempt) {
    return workDir.resolve(jobId).resolve(Integer.toString(attempt));
  }

  /** Replaces the job's record; a write error is logged, not thrown (the job goes on). */
  public void write(String jobId, ObjectNode record) {
    Path file = jobsDir.resolve(jobId + ".json");
    try {
      writeAtomically(file, record);
    } catch (IOException e) {
      LOG.warn("cannot write job record {}: {}", file, e.toString());
    }
  }

  private void writeAtomically(Path file, ObjectNode record) throws IOException {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(record));
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Jobs a previous run of the stack left unfinished (it was killed): their processes, if still
   * alive, are killed — the Step Functions executions that waited for them resume and submit new
   * jobs — and their records end FAILED with the reason, so nothing stays RUNNING forever.
   *
   * @return how many records were ended
   */
  public int endStaleJobs() {
    List<Path> files;
    try (var list = Files.list(jobsDir)) {
      files = list.filter(f -> f.getFileName().toString().endsWith(".json")).toList();
    } catch (IOException e) {
      LOG.warn("cannot list job records in {}: {}", jobsDir, e.toString());
      return 0;
    }
    int ended = 0;
    for (Path f : files) {
      try {
        ObjectNode rec = (ObjectNode) JSON.readTree(f.toFile());
        String status = rec.path("status").asText();
        if (status.equals("SUCCEEDED") || status.equals("FAILED")) {
          continue;
        }
        String id = rec.path("jobId").asText();
        int killed = AttemptProcess.killLeftovers(workDir.resolve(id));
        rec.put("status", "FAILED");
        rec.put(
            "statusReason",
            "The local stack stopped while this job was "
                + status
                + (killed > 0
                    ? "; its leftover process was killed when the stack started again"
                    : ""));
        rec.put("stoppedAt", System.currentTimeMillis());
        writeAtomically(f, rec);
        ended++;
      } catch (IOException | RuntimeException e) {
        LOG.warn("cannot read or end stale job record {}: {}", f, e.toString());
      }
    }
    if (ended > 0) {
      LOG.warn("{} job(s) were unfinished when the local stack last stopped; marked FAILED", ended);
    }
    return ended;
  }
}
