package dev.hsipipeline.stac;

import com.fasterxml.jackson.databind.JsonNode;
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
 * A minimal STAC reader, as pystac or a STAC browser walks a static catalog: from {@code
 * catalog.json} through every link (resolved against the document's own address) to every asset,
 * reading documents and checking that every asset object exists.
 */
final class StacWalker {
  /** What the walk met. */
  record Walk(Map<S3Uri, JsonNode> documents, List<S3Uri> assets, List<String> problems) {}

  private StacWalker() {}

  static Walk walk(S3Client s3, S3Uri root) {
    Map<S3Uri, JsonNode> docs = new LinkedHashMap<>();
    List<S3Uri> assets = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Deque<S3Uri> todo = new ArrayDeque<>(List.of(root));
    while (!todo.isEmpty()) {
      S3Uri uri = todo.pop();
      if (docs.containsKey(uri)) continue;
      JsonNode doc;
      try {
        doc =
            Fixtures.JSON.readTree(
                s3.getObjectAsBytes(b -> b.bucket(uri.bucket()).key(uri.key())).asByteArray());
      } catch (NoSuchKeyException e) {
        problems.add("link to missing document " + uri);
        continue;
      } catch (java.io.IOException e) {
        problems.add(uri + " is not JSON");
        continue;
      }
      docs.put(uri, doc);
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

  /** An href relative to {@code base} (RFC 3986 dot segments) or an absolute s3:// URI. */
  static S3Uri resolve(S3Uri base, String href) {
    if (href.startsWith("s3://")) return S3Uri.parse(href);
    if (href.contains("://")) return null;
    List<String> parts = new ArrayList<>(List.of(base.key().split("/")));
    parts.remove(parts.size() - 1);
    for (String seg : href.split("/")) {
      if (seg.equals(".") || seg.isEmpty()) continue;
      if (seg.equals("..")) {
        if (parts.isEmpty()) return null;
        parts.remove(parts.size() - 1);
      } else parts.add(seg);
    }
    return new S3Uri(base.bucket(), String.join("/", parts));
  }
}
