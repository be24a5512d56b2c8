package dev.hsipipeline.local.console.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The console's view of the STAC catalog in the data bucket (the <em>Products</em> page):
 *
 * <pre>
 * GET {prefix}items[?collection=ID][&amp;executionArn=ARN]  items walked from catalog.json
 * GET {prefix}object?key=KEY                              an object of the data bucket (thumbnails, assets)
 * </pre>
 *
 * Items come back as written, plus {@code console.assets} (asset key → a same-origin URL of {@code
 * object}) so the page never needs S3 credentials.
 */
public final class CatalogApi implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(CatalogApi.class);
  private static final Pattern SAFE_KEY = Pattern.compile("[A-Za-z0-9!_.*'()/-]{1,1024}");

  private final String prefix;
  private final CatalogReader reader;
  private final S3Client s3;
  private final String bucket;
  private final ObjectMapper json;

  public CatalogApi(String prefix, S3Client s3, String bucket, ObjectMapper json) {
    this.prefix = prefix;
    this.s3 = s3;
    this.bucket = bucket;
    this.json = json;
    this.reader = new CatalogReader(s3, bucket, json, prefix + "object?key=");
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!Exchanges.allowedOrigin(exchange)) return;
      try {
        if (!exchange.getRequestMethod().equals("GET"))
          throw new Exchanges.BadRequest(405, "MethodNotAllowed", "Use GET here.");
        String rest = exchange.getRequestURI().getRawPath().substring(prefix.length());
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        if (rest.equals("items")) items(exchange, query);
        else if (rest.equals("object")) object(exchange, query.get("key"));
        else throw new Exchanges.BadRequest(404, "NotFound", "No such catalog API: " + rest);
      } catch (Exchanges.BadRequest e) {
        Exchanges.sendError(exchange, e.status, e.code, e.getMessage());
      } catch (SdkException e) {
        LOG.warn("console: S3 call failed: {}", e.getMessage());
        Exchanges.sendError(exchange, 502, "S3Error", "S3: " + e.getMessage());
      }
    }
  }

  private void items(HttpExchange exchange, Map<String, String> query) throws IOException {
    CatalogReader.Listing listing =
        reader.items(query.get("collection"), query.get("executionArn"));
    ObjectNode out = json.createObjectNode();
    out.put("bucket", bucket);
    out.put("catalog", listing.catalogFound());
    ArrayNode items = out.putArray("items");
    listing.items().forEach(items::add);
    ArrayNode problems = out.putArray("problems");
    listing.problems().forEach(problems::add);
    Exchanges.sendJson(exchange, 200, json, out);
  }

  private void object(HttpExchange exchange, String key) throws IOException {
    if (key == null || !SAFE_KEY.matcher(key).matches() || key.contains(".."))
      throw new Exchanges.BadRequest("Give an object key of the data bucket as ?key=<key>.");
    try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(key))) {
      GetObjectResponse r = in.response();
      String type = r.contentType() == null ? "application/octet-stream" : r.contentType();
      exchange.getResponseHeaders().set("Content-Type", type);
      exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
      exchange.getResponseHeaders().set("Content-Security-Policy", "default-src 'none'; sandbox");
      String name = key.substring(key.lastIndexOf('/') + 1);
      exchange.getResponseHeaders().set("Content-Disposition", "inline; filename=\"" + name + "\"");
      exchange.sendResponseHeaders(200, r.contentLength() == null ? 0 : r.contentLength());
      try (OutputStream os = exchange.getResponseBody()) {
        transfer(in, os);
      }
    } catch (NoSuchKeyException e) {
      throw new Exchanges.BadRequest(404, "NoSuchKey", "No object s3://" + bucket + "/" + key);
    }
  }

  private static void transfer(InputStream in, OutputStream out) throws IOException {
    in.transferTo(out);
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null || raw.isEmpty()) return out;
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      out.putIfAbsent(
          URLDecoder.decode(k, StandardCharsets.UTF_8),
          URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return out;
  }
}
