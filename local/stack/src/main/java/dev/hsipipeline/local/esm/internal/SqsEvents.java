package dev.hsipipeline.local.esm.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Builds a function's {@code SQSEvent} from received messages with the function's own copy of the
 * event classes (aws-lambda-java-events, loaded by its class loader), so the function never sees
 * the stack's classes.
 */
public final class SqsEvents {
  private static final String EVENTS = "com.amazonaws.services.lambda.runtime.events.";

  private final Class<?> sqsEventType;
  private final Class<?> sqsMessageType;
  private final Class<?> attributeType;
  private final String region;

  /**
   * @param loader the function's class loader
   * @param region the {@code awsRegion} of every record
   * @throws ClassNotFoundException when the function does not bundle the event classes
   */
  public SqsEvents(ClassLoader loader, String region) throws ClassNotFoundException {
    this.sqsEventType = Class.forName(EVENTS + "SQSEvent", false, loader);
    this.sqsMessageType = Class.forName(EVENTS + "SQSEvent$SQSMessage", false, loader);
    this.attributeType = Class.forName(EVENTS + "SQSEvent$MessageAttribute", false, loader);
    this.region = region;
  }

  /** The function's {@code SQSEvent} class (its handler takes it). */
  public Class<?> eventType() {
    return sqsEventType;
  }

  /** The SQSEvent of a batch, shaped as Lambda's event source mapping shapes it. */
  public Object build(List<Message> batch, String eventSourceArn)
      throws ReflectiveOperationException {
    List<Object> records = new ArrayList<>(batch.size());
    for (Message m : batch) {
      Object r = sqsMessageType.getConstructor().newInstance();
      set(r, "setMessageId", String.class, m.messageId());
      set(r, "setReceiptHandle", String.class, m.receiptHandle());
      set(r, "setBody", String.class, m.body());
      Map<String, String> attrs = new LinkedHashMap<>();
      m.attributesAsStrings().forEach(attrs::put);
      set(r, "setAttributes", Map.class, attrs);
      Map<String, Object> msgAttrs = new LinkedHashMap<>();
      for (Map.Entry<String, MessageAttributeValue> e : m.messageAttributes().entrySet()) {
        MessageAttributeValue v = e.getValue();
        Object a = attributeType.getConstructor().newInstance();
        set(a, "setDataType", String.class, v.dataType());
        set(a, "setStringValue", String.class, v.stringValue());
        set(
            a,
            "setBinaryValue",
            ByteBuffer.class,
            v.binaryValue() == null ? null : v.binaryValue().asByteBuffer());
        set(a, "setStringListValues", List.class, new ArrayList<>(v.stringListValues()));
        List<ByteBuffer> bins = new ArrayList<>();
        v.binaryListValues().forEach(b -> bins.add(b.asByteBuffer()));
        set(a, "setBinaryListValues", List.class, bins);
        msgAttrs.put(e.getKey(), a);
      }
      set(r, "setMessageAttributes", Map.class, msgAttrs);
      set(r, "setMd5OfBody", String.class, m.md5OfBody() != null ? m.md5OfBody() : md5(m.body()));
      if (m.md5OfMessageAttributes() != null) {
        set(r, "setMd5OfMessageAttributes", String.class, m.md5OfMessageAttributes());
      }
      set(r, "setEventSource", String.class, "aws:sqs");
      set(r, "setEventSourceArn", String.class, eventSourceArn);
      set(r, "setAwsRegion", String.class, region);
      records.add(r);
    }
    Object event = sqsEventType.getConstructor().newInstance();
    set(event, "setRecords", List.class, records);
    return event;
  }

  private static void set(Object target, String setter, Class<?> type, Object value)
      throws ReflectiveOperationException {
    target.getClass().getMethod(setter, type).invoke(target, value);
  }

  private static String md5(String body) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("MD5").digest(body.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
