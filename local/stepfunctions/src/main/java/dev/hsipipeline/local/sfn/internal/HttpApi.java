package dev.hsipipeline.local.sfn.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.hsipipeline.local.sfn.ApiAuthorizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AWS JSON 1.0 protocol on {@code POST /}: {@code X-Amz-Target: AWSStepFunctions.<Op>}, JSON
 * body in and out, errors as {@code {"__type", "message"}} with the HTTP status the SDKs expect.
 * {@code GET /} redirects to the console when one is mounted.
 */
public final class HttpApi implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
  private static final String TARGET_PREFIX = "AWSStepFunctions.";
  private static final String CONTENT_TYPE = "application/x-amz-json-1.0";
  private static final int MAX_BODY = 8 * 1024 * 1024;

  private final SfnApi api;
  private final BooleanSupplier consoleMounted;
  private final ApiAuthorizer authorizer;

  /**
   * @param authorizer asked before every call, or null to allow every call
   */
  public HttpApi(SfnApi api, BooleanSupplier consoleMounted, ApiAuthorizer authorizer) {
    this.api = api;
    this.consoleMounted = consoleMounted;
    this.authorizer = authorizer;
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String method = ex.getRequestMethod();
      String path = ex.getRequestURI().getPath();
      if (!"POST".equals(method)) {
        drain(ex.getRequestBody());
        if (("GET".equals(method) || "HEAD".equals(method))
            && "/".equals(path)
            && consoleMounted.getAsBoolean()) {
          ex.getResponseHeaders().set("Location", "/console/");
          ex.sendResponseHeaders(302, -1);
          return;
        }
        if ("GET".equals(method) && "/".equals(path)) {
          byte[] b =
              ("Local AWS Step Functions endpoint. Send AWS JSON 1.0 requests: POST / with "
                      + "X-Amz-Target: AWSStepFunctions.<Operation>.\n")
                  .getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
          ex.sendResponseHeaders(200, b.length);
          ex.getResponseBody().write(b);
          return;
        }
        send(ex, ApiException.unknownOperation(method + " " + path), null);
        return;
      }
      String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
      String op = null;
      ObjectNode response;
      try {
        if (target == null || !target.startsWith(TARGET_PREFIX)) {
          drain(ex.getRequestBody());
          throw ApiException.unknownOperation(String.valueOf(target));
        }
        op = target.substring(TARGET_PREFIX.length());
        byte[] raw =
            readBytes(ex.getRequestBody(), ex.getRequestHeaders().getFirst("Content-Length"));
        if (authorizer != null) {
          authorize(ex, op, raw);
        }
        if ("StartExecution".equals(op)) {
          // The trigger's hot path: request bytes to response bytes without a JSON tree.
          byte[] fast = api.startExecution(raw);
          if (fast != null) {
            reply(ex, fast);
            return;
          }
        }
        response = api.call(op, parseObject(raw));
      } catch (ApiException e) {
        send(ex, e, op);
        return;
      } catch (RuntimeException e) {
        LOG.error("{} failed", op, e);
        send(
            ex,
            ApiException.internal("Internal error in the local Step Functions server: " + e),
            op);
        return;
      }
      reply(ex, Json.MAPPER.writeValueAsBytes(response));
    } catch (IOException e) {
      // client went away; nothing to answer
      LOG.debug("I/O error answering a request: {}", e.toString());
    }
  }

  private void authorize(HttpExchange ex, String op, byte[] raw) {
    ApiAuthorizer.Request request =
        new ApiAuthorizer.Request(
            ex.getRequestMethod(),
            ex.getRequestURI().getRawPath(),
            ex.getRequestURI().getRawQuery(),
            name -> ex.getRequestHeaders().getOrDefault(name, List.of()),
            raw);
    ApiAuthorizer.Denial d =
        authorizer.check(
            request,
            RequestResources.accessKeyId(ex.getRequestHeaders().getFirst("Authorization")),
            "states:" + op,
            RequestResources.resourceArn(op, raw));
    if (d != null) {
      throw switch (d.reason()) {
        case UNRECOGNIZED_CLIENT -> ApiException.unrecognizedClient(d.message());
        case ACCESS_DENIED -> ApiException.accessDenied(d.message());
        case INVALID_SIGNATURE -> ApiException.invalidSignature(d.message());
      };
    }
  }

  private static void reply(HttpExchange ex, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
    ex.getResponseHeaders().set("x-amzn-RequestId", requestId());
    ex.sendResponseHeaders(200, body.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(body);
    }
  }

  private static byte[] readBytes(InputStream in, String contentLength) throws IOException {
    // With a Content-Length (every SDK request) read exactly that many bytes into one array: the
    // open-ended readNBytes + drain allocated 8 KB + 16 KB of buffers per request (~20% of the
    // server's allocation under StartExecution load). The JDK stream ends at Content-Length.
    long declared = parseLength(contentLength);
    byte[] bytes;
    if (declared >= 0 && declared <= MAX_BODY) {
      bytes = in.readNBytes((int) declared);
      if (in.read() != -1) {
        drain(in);
      }
    } else {
      bytes = in.readNBytes(MAX_BODY + 1);
      drain(in);
    }
    if (bytes.length > MAX_BODY) {
      throw ApiException.validation("Request body larger than " + MAX_BODY + " bytes");
    }
    return bytes;
  }

  /**
   * The request body as a JSON object (empty or {@code null} = {}), else SerializationException.
   */
  static ObjectNode parseObject(byte[] bytes) {
    if (bytes.length == 0) {
      return Json.object();
    }
    JsonNode n;
    try {
      n = Json.MAPPER.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw ApiException.serialization("Request body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiException.serialization("Request body is not readable: " + e.getMessage());
    }
    if (n == null || n.isMissingNode() || n.isNull()) {
      return Json.object();
    }
    if (!n.isObject()) {
      throw ApiException.serialization(
          "Request body must be a JSON object, got " + n.getNodeType());
    }
    return (ObjectNode) n;
  }

  private static long parseLength(String contentLength) {
    if (contentLength == null) {
      return -1;
    }
    try {
      return Long.parseLong(contentLength.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static void send(HttpExchange ex, ApiException e, String op) throws IOException {
    if (e.status() >= 500) {
      LOG.warn("{} -> {}: {}", op, e.code(), e.getMessage());
    } else {
      LOG.debug("{} -> {}: {}", op, e.code(), e.getMessage());
    }
    ObjectNode n = Json.object();
    n.put("__type", e.type());
    n.put("message", e.getMessage());
    byte[] body = Json.MAPPER.writeValueAsBytes(n);
    ex.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
    ex.getResponseHeaders().set("x-amzn-RequestId", requestId());
    ex.getResponseHeaders().set("x-amzn-ErrorType", e.code());
    ex.sendResponseHeaders(e.status(), body.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(body);
    }
  }

  /** A random request id; ThreadLocalRandom avoids SecureRandom's cost on every request. */
  private static String requestId() {
    java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
    return new UUID(r.nextLong(), r.nextLong()).toString();
  }

  private static void drain(InputStream in) throws IOException {
    in.transferTo(OutputStream.nullOutputStream());
  }
}
