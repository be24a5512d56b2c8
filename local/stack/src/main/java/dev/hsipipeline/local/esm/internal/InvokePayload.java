package dev.hsipipeline.local.esm.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * The size of an SQS event as Lambda's event source mapping sends it to a function: the UTF-8 JSON
 * {@code {"Records":[...]}}, each record with the keys Lambda writes. A synchronous invocation
 * carries at most {@link #MAX_BYTES}, so the mapping cuts a batch before it grows beyond that.
 */
public final class InvokePayload {

  /** Lambda's synchronous invocation payload quota ("6 MB"): requests must be smaller. */
  public static final int MAX_BYTES = 6_291_456;

  /** Lambda's error for a larger request. */
  public static final String TOO_LARGE =
      "RequestEntityTooLargeException: Request must be smaller than "
          + MAX_BYTES
          + " bytes for the InvokeFunction operation";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ENVELOPE = "{\"Records\":[]}".length();

  private InvokePayload() {}

  /** The bytes one record takes in the event's JSON. */
  public static long recordBytes(Message m, String eventSourceArn, String region) {
    ObjectNode r = JSON.createObjectNode();
    r.put("messageId", m.messageId());
    r.put("receiptHandle", m.receiptHandle());
    r.put("body", m.body());
    ObjectNode attrs = r.putObject("attributes");
    m.attributesAsStrings().forEach(attrs::put);
    ObjectNode msgAttrs = r.putObject("messageAttributes");
    for (Map.Entry<String, MessageAttributeValue> e : m.messageAttributes().entrySet()) {
      MessageAttributeValue v = e.getValue();
      ObjectNode a = msgAttrs.putObject(e.getKey());
      if (v.stringValue() != null) {
        a.put("stringValue", v.stringValue());
      }
      if (v.binaryValue() != null) {
        a.put("binaryValue", base64(v.binaryValue()));
      }
      ArrayNode strings = a.putArray("stringListValues");
      v.stringListValues().forEach(strings::add);
      ArrayNode binaries = a.putArray("binaryListValues");
      v.binaryListValues().forEach(b -> binaries.add(base64(b)));
      a.put("dataType", v.dataType());
    }
    // 32 hex digits, also when the function computes it because SQS did not send it.
    r.put("md5OfBody", m.md5OfBody() != null ? m.md5OfBody() : "0".repeat(32));
    if (m.md5OfMessageAttributes() != null) {
      r.put("md5OfMessageAttributes", m.md5OfMessageAttributes());
    }
    r.put("eventSource", "aws:sqs");
    r.put("eventSourceARN", eventSourceArn);
    r.put("awsRegion", region);
    try {
      return JSON.writeValueAsBytes(r).length;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise an SQS record: " + e.getMessage(), e);
    }
  }

  /** The bytes of the event holding {@code records} records of {@code recordBytes} together. */
  public static long eventBytes(long recordBytes, int records) {
    return ENVELOPE + recordBytes + Math.max(0, records - 1); // commas between records
  }

  /** Whether an event of this size can be sent in one synchronous invocation. */
  public static boolean fits(long eventBytes) {
    return eventBytes < MAX_BYTES;
  }

  private static String base64(SdkBytes b) {
    return Base64.getEncoder().encodeToString(b.asByteArray());
  }
}
