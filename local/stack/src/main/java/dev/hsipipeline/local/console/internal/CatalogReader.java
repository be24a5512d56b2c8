package dev.hsipipeline.local.console.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Walks the static STAC catalog the jobs write, as a STAC reader does: {@code catalog.json} →
 * {@code child} collections → {@code item} links (relative hrefs resolved against each document's
 * key). Bounded: at most {@value #MAX_ITEMS} items per request.
 */
final class CatalogReader {
  static final int MAX_ITEMS = 500;

  private final S3Client s3;
  private final String bucket;
  private final ObjectMapper json;
  private final String objectUrlPrefix;

  CatalogReader(S3Client s3, String bucket, ObjectMapper json, String objectUrlPrefix) {
    this.s3 = s3;
    this.bucket = bucket;
    this.json = json;
    this.objectUrlPrefix = objectUrlPrefix;
  }

  /**
   * What the walk found.
   *
   * @param catalogFound false when there is no {@code catalog.json} yet
   * @param items the items, newest first
   * @param problems links that did not resolve, documents that were not JSON
   */
  record Listing(boolean catalogFound, List<ObjectNode> items, List<String> problems) {}

  Listing items(String collectionId, String executionArn) {
    List<String> problems = new ArrayList<>();
    JsonNode root = read("catalog.json", problems);
    if (root == null) return new Listing(false, List.of(), problems);
    List<ObjectNode> items = new ArrayList<>();
    for (JsonNode child : root.path("links")) {
      if (!"child".equals(child.path("rel").asText())) continue;
      String collectionKey = resolve("catalog.json", child.path("href").asText());
      if (collectionKey == null) continue;
      JsonNode collection = read(collectionKey, problems);
      if (collection == null) continue;
      String id = collection.path("id").asText();
      if (collectionId != null && !collectionId.isBlank() && !collectionId.equals(id)) continue;
      for (JsonNode link : collection.path("links")) {
        if (!"item".equals(link.path("rel").asText()) || items.size() >= MAX_ITEMS) continue;
        String itemKey = resolve(collectionKey, link.path("href").asText());
        if (itemKey == null) continue;
        JsonNode item = read(itemKey, problems);
        if (!(item instanceof ObjectNode o)) continue;
        String producedBy = o.path("properties").path("hsi:execution_arn").asText(null);
        if (executionArn != null && !executionArn.isBlank() && !executionArn.equals(producedBy))
          continue;
        items.add(annotate(o, itemKey, id));
      }
    }
    items.sort(
        (a, b) ->
            b.path("properties")
                .path("datetime")
                .asText("")
                .compareTo(a.path("properties").path("datetime").asText("")));
    return new Listing(true, items, problems);
  }

  /** Adds {@code console}: the item's key, its collection, same-origin asset URLs. */
  private ObjectNode annotate(ObjectNode item, String itemKey, String collectionId) {
    ObjectNode console = item.putObject("console");
    console.put("key", itemKey);
    console.put("collection", collectionId);
    ObjectNode urls = console.putObject("assets");
    item.path("assets")
        .fields()
        .forEachRemaining(
            e -> {
              String href = e.getValue().path("href").asText("");
              String key = null;
              if (href.startsWith("s3://" + bucket + "/"))
                key = href.substring(6 + bucket.length());
              else if (!href.contains("://")) key = resolve(itemKey, href);
              if (key != null)
                urls.put(
                    e.getKey(), objectUrlPrefix + URLEncoder.encode(key, StandardCharsets.UTF_8));
            });
    ObjectNode links = console.putObject("links");
    for (JsonNode l : item.path("links")) {
      String rel = l.path("rel").asText();
      if (rel.equals("derived_from")) {
        String key = resolve(itemKey, l.path("href").asText());
        if (key != null) links.put("derived_from", key);
      }
    }
    return item;
  }

  private JsonNode read(String key, List<String> problems) {
    try {
      return json.readTree(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
    } catch (NoSuchKeyException e) {
      if (!key.equals("catalog.json")) problems.add("link to missing s3://" + bucket + "/" + key);
      return null;
    } catch (java.io.IOException e) {
      problems.add("s3://" + bucket + "/" + key + " is not JSON");
      return null;
    }
  }

  /** A relative href against a key; null for absolute URLs and paths leaving the bucket. */
  static String resolve(String baseKey, String href) {
    if (href == null || href.isEmpty() || href.contains("://")) return null;
    List<String> parts = new ArrayList<>(List.of(baseKey.split("/")));
    parts.remove(parts.size() - 1);
    for (String seg : href.split("/")) {
      if (seg.isEmpty() || seg.equals(".")) continue;
      if (seg.equals("..")) {
        if (parts.isEmpty()) return null;
        parts.remove(parts.size() - 1);
      } else parts.add(seg);
    }
    return parts.isEmpty() ? null : String.join("/", parts);
  }
}
