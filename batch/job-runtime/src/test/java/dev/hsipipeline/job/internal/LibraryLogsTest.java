package dev.hsipipeline.job.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hsipipeline.job.JobEnv;
import dev.hsipipeline.job.JobLog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class LibraryLogsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void libraryRecordsBecomeJsonJobLogLinesAndFineOnesAreDropped() throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    JobEnv env =
        JobEnv.from(
            Map.of(
                "AWS_BATCH_JOB_ID", "job-1",
                "AWS_BATCH_JOB_ATTEMPT", "1",
                "AWS_REGION", "us-east-1",
                "DATA_BUCKET", "hsi-data"));
    JobLog log =
        new JobLog("activator", env, new PrintStream(buf, true, StandardCharsets.UTF_8), clock());
    // A logger of its own (not the root): the test must not change the process's logging.
    Logger library = Logger.getLogger("test.library." + System.nanoTime());
    library.setUseParentHandlers(false);
    library.addHandler(new LibraryLogs(log));

    library.info("Loading libgkl_compression.so");
    library.log(Level.WARNING, "The {0} environment variable is not set.", "SIS_DATA");
    library.log(Level.SEVERE, "cannot load", new IOException("read-only tmpdir"));
    library.fine("a detail nobody asked for");

    List<JsonNode> lines = new ArrayList<>();
    for (String line : buf.toString(StandardCharsets.UTF_8).split("\n"))
      lines.add(JSON.readTree(line));
    assertEquals(3, lines.size(), buf.toString(StandardCharsets.UTF_8));
    assertEquals("INFO", lines.get(0).path("level").asText());
    assertEquals("WARN", lines.get(1).path("level").asText());
    assertEquals("ERROR", lines.get(2).path("level").asText());
    assertEquals(
        "The SIS_DATA environment variable is not set.", lines.get(1).path("msg").asText());
    for (JsonNode line : lines) {
      assertEquals("library", line.path("step").asText());
      assertEquals(library.getName(), line.path("logger").asText());
      assertEquals("job-1", line.path("jobId").asText());
    }
    assertEquals("java.io.IOException: read-only tmpdir", lines.get(2).path("cause").asText());
  }

  private static Clock clock() {
    return Clock.fixed(java.time.Instant.parse("2026-12-03T12:00:00Z"), java.time.ZoneOffset.UTC);
  }
}
