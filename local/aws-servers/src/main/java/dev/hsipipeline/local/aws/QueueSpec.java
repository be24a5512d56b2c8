package dev.hsipipeline.local.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One SQS queue as the pipeline declares it, optionally with a dead-letter queue that receives
 * messages after {@code maxReceiveCount} unsuccessful receives (an SQS redrive policy).
 *
 * <p>The single source of truth for these settings is {@code terraform/queues.json}; read it with
 * {@link #fromSettings(Path)} rather than repeating the values.
 *
 * @param name queue name (1-80 chars of {@code [A-Za-z0-9_-]})
 * @param dlqName dead-letter queue name, or {@code null} for a queue without DLQ
 * @param maxReceiveCount receives before a message moves to the DLQ (1-1000; ignored without DLQ)
 * @param visibilityTimeoutSeconds default visibility timeout (0-43200)
 * @param receiveWaitTimeSeconds default long-poll wait of ReceiveMessage (0-20)
 * @param messageRetentionSeconds retention of the queue (60-1209600)
 * @param dlqMessageRetentionSeconds retention of the DLQ (60-1209600)
 * @param maxMessageSize the queue's (and its DLQ's) MaximumMessageSize in bytes (1024-1048576):
 *     larger messages are refused by SendMessage
 */
public record QueueSpec(
    String name,
    String dlqName,
    int maxReceiveCount,
    int visibilityTimeoutSeconds,
    int receiveWaitTimeSeconds,
    int messageRetentionSeconds,
    int dlqMessageRetentionSeconds,
    int maxMessageSize) {

  private static final Pattern QUEUE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,80}");

  /** SQS default retention (4 days). */
  public static final int DEFAULT_RETENTION_SECONDS = 345_600;

  /** SQS's largest message (1 MiB), also its default MaximumMessageSize. */
  public static final int MAX_MESSAGE_SIZE = 1_048_576;

  /** SQS maximum retention (14 days), the usual choice for a DLQ. */
  public static final int MAX_RETENTION_SECONDS = 1_209_600;

  /** Validates every field against the SQS limits and names the offending one. */
  public QueueSpec {
    Objects.requireNonNull(name, "queue name");
    if (!QUEUE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "invalid SQS queue name '" + name + "': 1-80 characters of A-Z a-z 0-9 _ -");
    }
    if (dlqName != null) {
      if (!QUEUE_NAME.matcher(dlqName).matches()) {
        throw new IllegalArgumentException(
            "invalid dead-letter queue name '" + dlqName + "' for queue " + name);
      }
      if (dlqName.equals(name)) {
        throw new IllegalArgumentException(
            "queue " + name + " cannot be its own dead-letter queue");
      }
      requireRange(name, "max_receive_count", maxReceiveCount, 1, 1000);
    }
    requireRange(name, "visibility_timeout_seconds", visibilityTimeoutSeconds, 0, 43_200);
    requireRange(name, "receive_wait_time_seconds", receiveWaitTimeSeconds, 0, 20);
    requireRange(
        name, "message_retention_seconds", messageRetentionSeconds, 60, MAX_RETENTION_SECONDS);
    requireRange(
        name,
        "dlq_message_retention_seconds",
        dlqMessageRetentionSeconds,
        60,
        MAX_RETENTION_SECONDS);
    requireRange(name, "max_message_size", maxMessageSize, 1024, MAX_MESSAGE_SIZE);
  }

  /** A queue with SQS's default (and largest) MaximumMessageSize. */
  public QueueSpec(
      String name,
      String dlqName,
      int maxReceiveCount,
      int visibilityTimeoutSeconds,
      int receiveWaitTimeSeconds,
      int messageRetentionSeconds,
      int dlqMessageRetentionSeconds) {
    this(
        name,
        dlqName,
        maxReceiveCount,
        visibilityTimeoutSeconds,
        receiveWaitTimeSeconds,
        messageRetentionSeconds,
        dlqMessageRetentionSeconds,
        MAX_MESSAGE_SIZE);
  }

  /** A queue with a DLQ and default retention (queue 4 days, DLQ 14 days). */
  public QueueSpec(
      String name,
      String dlqName,
      int maxReceiveCount,
      int visibilityTimeoutSeconds,
      int receiveWaitTimeSeconds) {
    this(
        name,
        dlqName,
        maxReceiveCount,
        visibilityTimeoutSeconds,
        receiveWaitTimeSeconds,
        DEFAULT_RETENTION_SECONDS,
        MAX_RETENTION_SECONDS);
  }

  /** Whether this queue has a dead-letter queue with a redrive policy. */
  public boolean hasDeadLetterQueue() {
    return dlqName != null;
  }

  /**
   * Reads all queues from {@code terraform/queues.json}, in file order.
   *
   * @throws IllegalArgumentException naming the file and field when the file is unreadable, not
   *     JSON, or a queue entry is incomplete or out of range
   */
  public static List<QueueSpec> fromSettings(Path terraformQueuesJson) {
    return List.copyOf(fromSettingsByRole(terraformQueuesJson).values());
  }

  /**
   * Reads all queues from {@code terraform/queues.json} keyed by their role in the pipeline (the
   * keys of the {@code queues} object, e.g. {@code activator}, {@code processor}), in file order.
   */
  public static Map<String, QueueSpec> fromSettingsByRole(Path terraformQueuesJson) {
    Objects.requireNonNull(terraformQueuesJson, "settings path");
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readAllBytes(terraformQueuesJson));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read queue settings " + terraformQueuesJson + ": " + e.getMessage(), e);
    }
    JsonNode queues = root == null ? null : root.get("queues");
    if (queues == null || !queues.isObject() || queues.isEmpty()) {
      throw new IllegalArgumentException(
          terraformQueuesJson + ": expected a non-empty object \"queues\" at the top level");
    }
    Map<String, QueueSpec> result = new LinkedHashMap<>();
    List<String> names = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : queues.properties()) {
      String where = terraformQueuesJson + ": queues." + e.getKey();
      JsonNode q = e.getValue();
      try {
        QueueSpec spec =
            new QueueSpec(
                text(q, "name", where),
                q.hasNonNull("dlq_name") ? text(q, "dlq_name", where) : null,
                integer(q, "max_receive_count", where, q.hasNonNull("dlq_name") ? null : 0),
                integer(q, "visibility_timeout_seconds", where, 30),
                integer(q, "receive_wait_time_seconds", where, 0),
                integer(q, "message_retention_seconds", where, DEFAULT_RETENTION_SECONDS),
                integer(q, "dlq_message_retention_seconds", where, MAX_RETENTION_SECONDS),
                integer(q, "max_message_size", where, MAX_MESSAGE_SIZE));
        result.put(e.getKey(), spec);
        names.add(spec.name());
        if (spec.hasDeadLetterQueue()) {
          names.add(spec.dlqName());
        }
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException(
            ex.getMessage().startsWith(where) ? ex.getMessage() : where + ": " + ex.getMessage(),
            ex);
      }
    }
    if (names.size() != names.stream().distinct().count()) {
      throw new IllegalArgumentException(
          terraformQueuesJson + ": queue and DLQ names must be unique, got " + names);
    }
    return Collections.unmodifiableMap(result);
  }

  private static String text(JsonNode q, String field, String where) {
    JsonNode v = q.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new IllegalArgumentException(where + "." + field + " must be a non-empty string");
    }
    return v.asText();
  }

  private static int integer(JsonNode q, String field, String where, Integer dflt) {
    JsonNode v = q.get(field);
    if (v == null || v.isNull()) {
      if (dflt == null) {
        throw new IllegalArgumentException(where + "." + field + " is required");
      }
      return dflt;
    }
    if (!v.canConvertToInt() || !v.isIntegralNumber()) {
      throw new IllegalArgumentException(where + "." + field + " must be an integer, got " + v);
    }
    return v.intValue();
  }

  private static void requireRange(String queue, String field, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          "queue "
              + queue
              + ": "
              + field
              + " = "
              + value
              + " is outside ["
              + min
              + ", "
              + max
              + "]");
    }
  }
}
