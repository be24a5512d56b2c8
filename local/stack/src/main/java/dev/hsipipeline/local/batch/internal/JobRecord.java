package dev.hsipipeline.local.batch.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * One job's DescribeJobs record (camelCase, as the Batch API returns it), changed only through its
 * lifecycle methods, each of which writes the record to the {@link JobRecordStore} under the
 * record's lock (so the file always shows the newest change) and returns a copy for listeners.
 */
public final class JobRecord {

  private static final JsonNodeFactory NF = JsonNodeFactory.instance;
  private static final Set<String> USER_KEYED = Set.of("parameters", "tags");

  private final String jobId;
  private final ObjectNode record;
  private final JobRecordStore store;

  private JobRecord(String jobId, ObjectNode record, JobRecordStore store) {
    this.jobId = jobId;
    this.record = record;
    this.store = store;
  }

  /** A new SUBMITTED record for the spec (written by the first {@link #changeStatus}). */
  public static JobRecord submitted(
      JobSpec spec, String jobId, String jobArn, JobRecordStore store) {
    ObjectNode rec = NF.objectNode();
    rec.put("jobArn", jobArn);
    rec.put("jobName", spec.jobName());
    rec.put("jobId", jobId);
    rec.put("jobQueue", spec.jobQueue());
    rec.put("status", "SUBMITTED");
    rec.putArray("attempts");
    rec.put("createdAt", System.currentTimeMillis());
    rec.putArray("dependsOn");
    rec.put("jobDefinition", spec.definition().arn());
    ObjectNode p = rec.putObject("parameters");
    spec.parameters().forEach(p::put);
    ObjectNode container = rec.putObject("container");
    container.put("image", "local:" + spec.definition().jar());
    ArrayNode cmd = container.putArray("command");
    spec.command().forEach(cmd::add);
    ArrayNode rr = container.putArray("resourceRequirements");
    rr.addObject().put("type", "VCPU").put("value", trimNumber(spec.vcpus()));
    rr.addObject().put("type", "MEMORY").put("value", Integer.toString(spec.memoryMib()));
    ArrayNode envArray = container.putArray("environment");
    spec.environment().forEach((k, v) -> envArray.addObject().put("name", k).put("value", v));
    rec.putObject("retryStrategy").put("attempts", spec.retry().attempts());
    if (spec.timeoutSeconds() > 0) {
      rec.putObject("timeout").put("attemptDurationSeconds", spec.timeoutSeconds());
    }
    rec.putObject("tags");
    rec.putArray("platformCapabilities").add("EC2");
    if (spec.executionArn() != null) {
      // A local addition: lets the console link job and execution.
      rec.put("executionArn", spec.executionArn());
    }
    return new JobRecord(jobId, rec, store);
  }

  public String jobId() {
    return jobId;
  }

  /** The record's {@code jobArn}. */
  public synchronized String jobArn() {
    return record.path("jobArn").asText();
  }

  /** The record's {@code jobName}. */
  public synchronized String jobName() {
    return record.path("jobName").asText();
  }

  /** The current status (SUBMITTED … SUCCEEDED/FAILED). */
  public synchronized String status() {
    return record.path("status").asText();
  }

  /** A copy of the record as it is now. */
  public synchronized ObjectNode snapshot() {
    return record.deepCopy();
  }

  /**
   * Sets the status and its reason; a final status also copies the last attempt's exit code and
   * reason to the job's container, as DescribeJobs shows them.
   *
   * @param statusReason the job's statusReason, or null for a status without one (the record then
   *     has no {@code statusReason} key, as DescribeJobs may omit it)
   * @return a copy of the changed record
   */
  public synchronized ObjectNode changeStatus(String status, String statusReason) {
    record.put("status", status);
    if (statusReason != null) {
      record.put("statusReason", statusReason);
    } else {
      record.remove("statusReason");
    }
    if (status.equals("SUCCEEDED") || status.equals("FAILED")) {
      record.put("stoppedAt", System.currentTimeMillis());
      if (record.has("startedAt") && record.path("attempts").size() > 0) {
        JsonNode last = record.path("attempts").get(record.path("attempts").size() - 1);
        ObjectNode c = (ObjectNode) record.path("container");
        if (last.path("container").has("exitCode")) {
          c.set("exitCode", last.path("container").path("exitCode"));
        }
        if (last.path("container").has("reason")) {
          c.set("reason", last.path("container").path("reason"));
        }
      }
    }
    return persisted();
  }

  /**
   * An attempt's process started: RUNNING, with its start time and log stream.
   *
   * @return a copy of the changed record
   */
  public synchronized ObjectNode attemptRunning(long startedAt, String logStream) {
    record.put("status", "RUNNING");
    record.put("startedAt", startedAt);
    ((ObjectNode) record.path("container")).put("logStreamName", logStream);
    return persisted();
  }

  /**
   * Appends an ended attempt (written with the next status change).
   *
   * @param startedAt 0 when the process never started
   * @param exitCode null when there was none (not started, or not ended)
   * @param reason the container's reason (why it could not run), or null
   */
  public synchronized void finishAttempt(
      long startedAt, Integer exitCode, String reason, String statusReason, String logStream) {
    ObjectNode a = ((ArrayNode) record.path("attempts")).addObject();
    ObjectNode c = a.putObject("container");
    if (exitCode != null) {
      c.put("exitCode", exitCode);
    }
    if (reason != null) {
      c.put("reason", reason);
    }
    c.put("logStreamName", logStream);
    c.putArray("networkInterfaces");
    if (startedAt > 0) {
      a.put("startedAt", startedAt);
    }
    a.put("stoppedAt", System.currentTimeMillis());
    a.put("statusReason", statusReason);
  }

  private ObjectNode persisted() {
    ObjectNode copy = record.deepCopy();
    store.write(jobId, copy);
    return copy;
  }

  /**
   * The job as Step Functions returns it from {@code submitJob.sync}: DescribeJobs' job with
   * PascalCase keys, user-chosen keys (parameters, tags) left as they are.
   */
  public static ObjectNode stepFunctionsShape(JsonNode camel) {
    return (ObjectNode) pascal(camel, false);
  }

  private static JsonNode pascal(JsonNode n, boolean keepKeys) {
    if (n.isObject()) {
      ObjectNode out = NF.objectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String k = e.getKey();
        String key =
            keepKeys || k.isEmpty() ? k : Character.toUpperCase(k.charAt(0)) + k.substring(1);
        out.set(
            key, keepKeys ? e.getValue().deepCopy() : pascal(e.getValue(), USER_KEYED.contains(k)));
      }
      return out;
    }
    if (n.isArray()) {
      ArrayNode out = NF.arrayNode();
      n.forEach(x -> out.add(pascal(x, false)));
      return out;
    }
    return n.deepCopy();
  }

  private static String trimNumber(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
