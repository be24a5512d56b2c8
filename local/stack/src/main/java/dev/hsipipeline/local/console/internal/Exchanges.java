package dev.hsipipeline.local.console.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Small helpers shared by the console's handlers: guards and responses. */
final class Exchanges {

  /** Request bodies above this are refused (a console form never needs more). */
  static final int MAX_BODY_BYTES = 512 * 1024;

  /** Writes error bodies (thread safe; configured once). */
  private static final ObjectMapper ERRORS = new ObjectMapper();

  private Exchanges() {}

  /**
   * Refuses requests that do not come from this machine, or that name a foreign host (DNS
   * rebinding: a web page on another origin resolving its name to 127.0.0.1). Returns false after
   * sending the refusal.
   */
  static boolean allowedOrigin(HttpExchange exchange) throws IOException {
    InetAddress remote = exchange.getRemoteAddress().getAddress();
    if (remote == null || !remote.isLoopbackAddress()) {
      sendText(exchange, 403, "The console only answers requests from this machine.");
      return false;
    }
    String host = exchange.getRequestHeaders().getFirst("Host");
    if (host != null && !isLocalHost(host)) {
      sendText(
          exchange, 403, "The console only answers requests addressed to 127.0.0.1 or localhost.");
      return false;
    }
    return true;
  }

  /**
   * For state-changing requests: the body must be JSON (so a cross-site form cannot post it without
   * a CORS preflight, which we never grant) and a present Origin must be this server.
   */
  static boolean allowedMutation(HttpExchange exchange) throws IOException {
    String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
    if (contentType == null
        || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      sendError(
          exchange, 415, "UnsupportedMediaType", "Send the request body as application/json.");
      return false;
    }
    String origin = exchange.getRequestHeaders().getFirst("Origin");
    String host = exchange.getRequestHeaders().getFirst("Host");
    if (origin != null && (host == null || !origin.equalsIgnoreCase("http://" + host))) {
      sendError(exchange, 403, "ForbiddenOrigin", "Requests from " + origin + " are not accepted.");
      return false;
    }
    return true;
  }

  static boolean isLocalHost(String hostHeader) {
    String h = hostHeader.trim().toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      h = end < 0 ? h : h.substring(1, end);
    } else {
      int colon = h.lastIndexOf(':');
      if (colon >= 0) {
        h = h.substring(0, colon);
      }
    }
    return h.equals("127.0.0.1") || h.equals("localhost") || h.equals("::1");
  }

  static byte[] readBody(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
      if (body.length > MAX_BODY_BYTES) {
        throw new BadRequest("The request body exceeds " + MAX_BODY_BYTES + " bytes.");
      }
      return body;
    }
  }

  static void sendJson(HttpExchange exchange, int status, ObjectMapper json, Object value)
      throws IOException {
    send(exchange, status, "application/json; charset=utf-8", json.writeValueAsBytes(value));
  }

  static void sendError(HttpExchange exchange, int status, String code, String message)
      throws IOException {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("error", code);
    body.put("message", message);
    sendJson(exchange, status, ERRORS, body);
  }

  static void sendText(HttpExchange exchange, int status, String text) throws IOException {
    send(exchange, status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
  }

  static void send(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    var headers = exchange.getResponseHeaders();
    headers.set("Content-Type", contentType);
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("Cache-Control", "no-store");
    headers.set("Referrer-Policy", "no-referrer");
    boolean head = "HEAD".equals(exchange.getRequestMethod());
    exchange.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
    if (!head && body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
    exchange.close();
  }

  /** A client error with a message the console shows as is. */
  static final class BadRequest extends RuntimeException {
    final int status;
    final String code;

    BadRequest(String message) {
      this(400, "BadRequest", message);
    }

    BadRequest(int status, String code, String message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }
}
