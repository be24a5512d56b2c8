package dev.hsipipeline.local.console.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Serves the console's page from the classpath ({@code console/} in the jar) under a URL prefix.
 * Only names made of safe characters with a known extension are served, so neither {@code ..} nor
 * encoded tricks nor directory listings can reach anything else on the classpath.
 */
public final class StaticFiles implements HttpHandler {

  /** The page's own files only: scripts, styles and images from 'self', nothing inline. */
  static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          + "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; "
          + "frame-ancestors 'none'";

  private static final Pattern SAFE_PATH =
      Pattern.compile("(?:[A-Za-z0-9_-][A-Za-z0-9._-]*/)*[A-Za-z0-9_-][A-Za-z0-9._-]*");

  private static final Map<String, String> TYPES =
      Map.ofEntries(
          Map.entry("html", "text/html; charset=utf-8"),
          Map.entry("js", "text/javascript; charset=utf-8"),
          Map.entry("mjs", "text/javascript; charset=utf-8"),
          Map.entry("css", "text/css; charset=utf-8"),
          Map.entry("svg", "image/svg+xml"),
          Map.entry("png", "image/png"),
          Map.entry("ico", "image/x-icon"),
          Map.entry("json", "application/json; charset=utf-8"),
          Map.entry("txt", "text/plain; charset=utf-8"));

  private final String prefix;
  private final String resourceRoot;
  private final ClassLoader loader;
  private final Map<String, Optional<byte[]>> cache = new ConcurrentHashMap<>();

  /**
   * @param prefix the URL prefix this handler is mounted at, e.g. {@code /console/}
   * @param resourceRoot the classpath folder holding the files, e.g. {@code console}
   */
  public StaticFiles(String prefix, String resourceRoot, ClassLoader loader) {
    if (!prefix.startsWith("/") || !prefix.endsWith("/")) {
      throw new IllegalArgumentException("prefix must start and end with '/': " + prefix);
    }
    this.prefix = prefix;
    this.resourceRoot = resourceRoot;
    this.loader = loader;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!Exchanges.allowedOrigin(exchange)) {
        return;
      }
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        Exchanges.sendText(exchange, 405, "Only GET and HEAD are supported here.");
        return;
      }
      String rawPath = exchange.getRequestURI().getRawPath();
      if (!rawPath.startsWith(prefix)) {
        Exchanges.sendText(exchange, 404, "Not found.");
        return;
      }
      String relative = rawPath.substring(prefix.length());
      if (relative.isEmpty()) {
        relative = "index.html";
      }
      Optional<String> type = contentType(relative);
      if (!SAFE_PATH.matcher(relative).matches() || relative.contains("..") || type.isEmpty()) {
        Exchanges.sendText(exchange, 404, "Not found.");
        return;
      }
      Optional<byte[]> body = cache.computeIfAbsent(relative, this::load);
      if (body.isEmpty()) {
        Exchanges.sendText(exchange, 404, "Not found.");
        return;
      }
      if (relative.endsWith(".html")) {
        exchange.getResponseHeaders().set("Content-Security-Policy", CSP);
        exchange.getResponseHeaders().set("X-Frame-Options", "DENY");
      }
      Exchanges.send(exchange, 200, type.get(), body.get());
    }
  }

  static Optional<String> contentType(String path) {
    int slash = path.lastIndexOf('/');
    int dot = path.lastIndexOf('.');
    if (dot <= slash + 1) {
      return Optional.empty();
    }
    return Optional.ofNullable(TYPES.get(path.substring(dot + 1)));
  }

  private Optional<byte[]> load(String relative) {
    try (InputStream in = loader.getResourceAsStream(resourceRoot + "/" + relative)) {
      return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read console resource " + relative, e);
    }
  }
}
