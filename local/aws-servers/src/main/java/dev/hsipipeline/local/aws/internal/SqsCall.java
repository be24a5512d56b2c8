package dev.hsipipeline.local.aws.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One SQS call as the front sees it, in either protocol: AWS JSON ({@code X-Amz-Target:
 * AmazonSQS.<Action>}, {@code jsonBody}) or query ({@code Action=...}, {@code form}).
 */
record SqsCall(String action, boolean json, JsonNode jsonBody, Map<String, String> form) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A request parameter (JSON member or form field), or null. */
  String param(String name) {
    if (json) {
      JsonNode v = jsonBody.get(name);
      return v == null || v.isNull() ? null : v.asText();
    }
    return form.get(name);
  }

  /** The call in a request, or null when it names no action (ElasticMQ then answers). */
  static SqsCall parse(HttpExchange ex, byte[] body) {
    String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
    if (target != null && target.startsWith("AmazonSQS.")) {
      JsonNode n;
      try {
        n = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
      } catch (IOException e) {
        return null; // ElasticMQ answers a malformed body itself
      }
      return new SqsCall(target.substring("AmazonSQS.".length()), true, n, Map.of());
    }
    Map<String, String> form = new LinkedHashMap<>();
    String query = ex.getRequestURI().getRawQuery();
    if (query != null) {
      decodeForm(query, form);
    }
    String type = ex.getRequestHeaders().getFirst("Content-Type");
    if (type != null && type.startsWith("application/x-www-form-urlencoded")) {
      decodeForm(new String(body, StandardCharsets.UTF_8), form);
    }
    String action = form.get("Action");
    return action == null ? null : new SqsCall(action, false, null, form);
  }

  private static void decodeForm(String s, Map<String, String> into) {
    for (String pair : s.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      into.put(k, v);
    }
  }

  String queueName() {
    String url = param("QueueUrl");
    if (url != null && !url.isBlank()) {
      String path = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
      return path.substring(path.lastIndexOf('/') + 1);
    }
    String name = param("QueueName");
    return name == null || name.isBlank() ? null : name;
  }

  /** The IAM action of an SQS API action (batch calls need the single-message permission). */
  static String iamAction(String apiAction) {
    String base =
        switch (apiAction) {
          case "SendMessageBatch" -> "SendMessage";
          case "DeleteMessageBatch" -> "DeleteMessage";
          case "ChangeMessageVisibilityBatch" -> "ChangeMessageVisibility";
          default -> apiAction;
        };
    return "sqs:" + base;
  }

  String accessKeyId(HttpExchange ex) {
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    String credential = null;
    if (auth != null) {
      int i = auth.indexOf("Credential=");
      if (i >= 0) {
        credential = auth.substring(i + "Credential=".length());
      } else if (auth.startsWith("AWS ")) {
        credential = auth.substring(4); // signature V2: "AWS key:signature"
        int colon = credential.indexOf(':');
        return colon < 0 ? credential : credential.substring(0, colon);
      }
    } else if (!json) {
      credential = form.get("X-Amz-Credential");
      if (credential == null) {
        credential = form.get("AWSAccessKeyId");
      }
    }
    if (credential == null) {
      return null;
    }
    int slash = credential.indexOf('/');
    return slash < 0 ? credential.strip() : credential.substring(0, slash).strip();
  }
}
