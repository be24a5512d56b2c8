package dev.hsipipeline.local.aws.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** SQS error responses in the protocol of the request, with AWS's codes and messages. */
final class SqsErrors {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SqsErrors() {}

  /**
   * Sends an error.
   *
   * @param json the request's protocol: AWS JSON (else query, with an XML error)
   * @param code the classic SQS error code (query protocol, and the JSON query-error header)
   * @param jsonType the JSON protocol's {@code __type}
   */
  static void send(
      HttpExchange ex, boolean json, int status, String code, String jsonType, String message)
      throws IOException {
    String requestId = UUID.randomUUID().toString();
    byte[] out;
    if (json) {
      ObjectNode n = JSON.createObjectNode().put("__type", jsonType).put("message", message);
      out = JSON.writeValueAsBytes(n);
      ex.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
      // The SDKs' query-compatibility header carries the classic SQS error code.
      ex.getResponseHeaders().set("x-amzn-query-error", code + ";Sender");
    } else {
      out =
          ("<?xml version=\"1.0\"?><ErrorResponse xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\">"
                  + "<Error><Type>Sender</Type><Code>"
                  + xml(code)
                  + "</Code><Message>"
                  + xml(message)
                  + "</Message><Detail/></Error><RequestId>"
                  + requestId
                  + "</RequestId></ErrorResponse>")
              .getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "text/xml");
    }
    ex.getResponseHeaders().set("x-amzn-RequestId", requestId);
    ex.sendResponseHeaders(status, out.length);
    ex.getResponseBody().write(out);
  }

  private static String xml(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
