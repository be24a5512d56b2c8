package dev.hsipipeline.local.aws.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hsipipeline.local.aws.QueueSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** SQS's message size rules, with its error messages, for a SendMessage(Batch) call. */
final class SqsMessageSizes {
  private SqsMessageSizes() {}

  static final String BATCH_TOO_LONG = "Batch requests cannot be longer than ";

  /**
   * SQS's size rules, with its messages: a message's body plus its attributes (names, types,
   * values) may not exceed the queue's MaximumMessageSize; the messages of one SendMessageBatch
   * together may not exceed the service's 1 MiB. Null when within them.
   */
  static String problem(SqsCall call, int max) {
    List<String> messages =
        switch (call.action()) {
          case "SendMessage" -> List.of("");
          case "SendMessageBatch" -> batchEntryPrefixes(call);
          default -> List.of();
        };
    long total = 0;
    for (String prefix : messages) {
      long size = messageSize(call, prefix);
      if (size > max) {
        return "One or more parameters are invalid. Reason: Message must be shorter than "
            + max
            + " bytes.";
      }
      total += size;
    }
    if (total > QueueSpec.MAX_MESSAGE_SIZE) {
      return BATCH_TOO_LONG
          + QueueSpec.MAX_MESSAGE_SIZE
          + " bytes. You have sent "
          + total
          + " bytes.";
    }
    return null;
  }

  private static List<String> batchEntryPrefixes(SqsCall call) {
    ArrayList<String> prefixes = new ArrayList<>();
    if (call.json()) {
      JsonNode entries = call.jsonBody().path("Entries");
      for (int i = 0; i < entries.size(); i++) {
        prefixes.add(Integer.toString(i));
      }
    } else {
      for (int i = 1; call.form().containsKey("SendMessageBatchRequestEntry." + i + ".Id"); i++) {
        prefixes.add("SendMessageBatchRequestEntry." + i + ".");
      }
    }
    return prefixes;
  }

  /** Body + attribute bytes of one message ({@code prefix}: "" or a batch entry). */
  private static long messageSize(SqsCall call, String prefix) {
    if (call.json()) {
      JsonNode m =
          prefix.isEmpty()
              ? call.jsonBody()
              : call.jsonBody().path("Entries").path(Integer.parseInt(prefix));
      long size = utf8(m.path("MessageBody").asText(""));
      for (Map.Entry<String, JsonNode> a : m.path("MessageAttributes").properties()) {
        JsonNode v = a.getValue();
        size += utf8(a.getKey()) + utf8(v.path("DataType").asText(""));
        size += utf8(v.path("StringValue").asText(""));
        size += v.path("BinaryValue").asText("").length() * 3L / 4; // base64 → bytes
      }
      return size;
    }
    long size = utf8(call.form().getOrDefault(prefix + "MessageBody", ""));
    for (Map.Entry<String, String> e : call.form().entrySet()) {
      String k = e.getKey();
      if (k.startsWith(prefix + "MessageAttribute.")
          && (k.endsWith(".Name") || k.endsWith(".DataType") || k.endsWith("StringValue"))) {
        size += utf8(e.getValue());
      }
    }
    return size;
  }

  private static long utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
