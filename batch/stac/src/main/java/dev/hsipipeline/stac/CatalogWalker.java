package dev.hsipipeline.stac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hsipipeline.job.S3Uri;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Walks a static catalog on S3 the way a STAC reader (pystac, a STAC browser) does: from {@code
 * catalog.json} through every link — resolved against the document's own address — to every asset,
 * reading each document once, checking each against the STAC rules and each asset object with a
 * HEAD. For tests and the demo: "a reader can walk it from the root to every asset".
 */
public final class CatalogWalker {
  /** At most this many documents are read (a guard against link cycles to fresh keys). */
  static final int MAX_DOCUMENTS = 100_000;

  private CatalogWalker() {}

  /**
   * What a walk met.
   *
   * @param documents every catalog document read, by address
   * @param assets every asset object found
   * @param problems unresolvable links and hrefs, missing documents or assets, documents that are
   *     not JSON or break a STAC rule — empty for a sound catalog
   */
  public record Walk(Map<S3Uri, JsonNode> documents, List<S3Uri> assets, List<String> problems) {}

  /** Walks from {@code root} (usually {@code s3://<bucket>/catalog.json}). */
  public static Walk walk(S3Client s3, ObjectMapper json, StacValidator validator, S3Uri root) {
    Map<S3Uri, JsonNode> docs = new LinkedHashMap<>();
    List<S3Uri> assets = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Deque<S3Uri> todo = new ArrayDeque<>(List.of(root));
    while (!todo.isEmpty() && docs.size() < MAX_DOCUMENTS) {
      S3Uri uri = todo.pop();
      if (docs.containsKey(uri)) continue;
      JsonNode doc;
      try {
        doc =
            json.readTree(
                s3.getObjectAsBytes(b -> b.bucket(uri.bucket()).key(uri.key())).asByteArray());
      } catch (NoSuchKeyException e) {
        problems.add("link to missing document " + uri);
        continue;
      } catch (java.io.IOException e) {
        problems.add(uri + " is not JSON");
        continue;
      }
      docs.put(uri, doc);
      for (String error : validator.validate(doc)) problems.add(uri + ": " + error);
      for (JsonNode l : doc.path("links")) {
        S3Uri target = resolve(uri, l.path("href").asText());
        if (target == null) problems.add(uri + ": link " + l + " does not resolve to S3");
        else todo.push(target);
      }
      for (JsonNode a : doc.path("assets")) {
        S3Uri target = resolve(uri, a.path("href").asText());
        if (target == null) {
          problems.add(uri + ": asset href " + a.path("href") + " does not resolve");
          continue;
        }
        try {
          s3.headObject(b -> b.bucket(target.bucket()).key(target.key()));
          assets.add(target);
        } catch (S3Exception e) {
          problems.add(uri + ": asset " + target + " is missing (HTTP " + e.statusCode() + ")");
        }
      }
    }
    return new Walk(docs, assets, problems);
  }

  /**
   * An href relative to {@code base} (RFC 3986 dot segments) or an absolute {@code s3://} URI; null
   * for other schemes and paths that leave the bucket.
   */
  public static S3Uri resolve(S3Uri base, String href) {
    if (href.startsWith("s3://")) return S3Uri.parse(href);
    if (href.contains("://") || href.isEmpty()) return null;
    List<String> parts = new ArrayList<>(List.of(base.key().split("/")));
    parts.remove(parts.size() - 1);
    for (String seg : href.split("/")) {
      if (seg.equals(".") || seg.isEmpty()) continue;
      if (seg.equals("..")) {
        if (parts.isEmpty()) return null;
        parts.remove(parts.size() - 1);
      } else parts.add(seg);
    }
    return parts.isEmpty() ? null : new S3Uri(base.bucket(), String.join("/", parts));
  }
}
