package dev.hsipipeline.stac;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hsipipeline.job.JobFailure;
import dev.hsipipeline.job.S3Uri;
import dev.hsipipeline.stac.internal.CatalogDocs;
import dev.hsipipeline.stac.internal.ConditionalStore;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Publishes items into the static catalog in the data bucket (ADRs 0160, 0162): checks the item
 * against the STAC schemas, makes sure the root catalog and both collections exist (created with
 * {@code If-None-Match: *}, so concurrent first jobs create each exactly once), writes the item,
 * then links it from its collection and grows the collection's extents by read → merge → {@code
 * If-Match} PUT, retried with jittered backoff when another job won the race (412/409). No update
 * is lost however many jobs publish at once.
 *
 * <p>The item is written after its assets (the caller's job) and before the collection links it, so
 * a reader walking from {@code catalog.json} never meets an item whose assets are missing.
 */
public final class CatalogWriter {
  /** Attempts of one conditional update before giving up (transient: the job is retried). */
  static final int MAX_ATTEMPTS = 25;

  private final ObjectMapper json;
  private final CatalogLayout layout;
  private final ConditionalStore store;
  private final StacValidator validator;

  /**
   * @param s3 client for the data bucket (not closed here)
   * @param validator checks every document before it is written
   */
  public CatalogWriter(
      S3Client s3, ObjectMapper json, CatalogLayout layout, StacValidator validator) {
    this.json = Objects.requireNonNull(json, "json");
    this.layout = Objects.requireNonNull(layout, "layout");
    this.store = new ConditionalStore(s3, json);
    this.validator = Objects.requireNonNull(validator, "validator");
  }

  /**
   * The writer a job uses: the catalog in {@code bucket} (the job's DATA_BUCKET), with {@code
   * STAC_PUBLIC_BASE_URL} from its environment when set.
   *
   * @throws IllegalArgumentException naming STAC_PUBLIC_BASE_URL when it is not an http(s) URL
   */
  public static CatalogWriter forJob(
      S3Client s3, ObjectMapper json, String bucket, java.util.Map<String, String> env) {
    return new CatalogWriter(s3, json, CatalogLayout.of(bucket, env), new StacValidator());
  }

  /** The layout written to. */
  public CatalogLayout layout() {
    return layout;
  }

  /**
   * What publishing did.
   *
   * @param item the item's object
   * @param collectionChanged false when the collection already linked the item with these extents
   * @param attempts conditional-write attempts the collection update took (1 = no race)
   */
  public record Published(S3Uri item, boolean collectionChanged, int attempts) {}

  /**
   * Publishes an item built by {@link ItemBuilder} into its collection.
   *
   * @throws IllegalArgumentException when the item breaks a STAC rule (a bug: listed in full)
   * @throws JobFailure transient when the collection stayed contended for {@value #MAX_ATTEMPTS}
   *     attempts; classified S3 failures otherwise
   */
  public Published publish(ObjectNode item) {
    StacCollection collection = StacCollection.byId(item.path("collection").asText());
    if (collection == null)
      throw new IllegalArgumentException(
          "item has no known collection: " + item.path("collection"));
    check(item, "item " + item.path("id").asText());
    ensureCatalog();
    String id = item.get("id").asText();
    String itemKey = layout.itemKey(collection, id);
    S3Uri itemUri = layout.uri(itemKey);
    store.write(itemUri, bytes(item), Stac.GEOJSON);

    String collectionKey = layout.collectionKey(collection);
    String href = CatalogLayout.relative(collectionKey, itemKey);
    S3Uri collectionUri = layout.uri(collectionKey);
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      Optional<ConditionalStore.Versioned> current = store.read(collectionUri);
      ObjectNode doc =
          current.isPresent()
              ? (ObjectNode) current.get().doc()
              : CatalogDocs.collection(json, layout, collection);
      if (!CatalogDocs.addItem(doc, item, href) && current.isPresent())
        return new Published(itemUri, false, attempt);
      check(doc, "collection " + collection.id());
      ConditionalStore.Outcome outcome =
          current.isPresent()
              ? store.replace(collectionUri, bytes(doc), Stac.JSON, current.get().eTag())
              : store.create(collectionUri, bytes(doc), Stac.JSON);
      if (outcome == ConditionalStore.Outcome.WRITTEN) return new Published(itemUri, true, attempt);
      backoff(attempt);
    }
    throw JobFailure.transientFailure(
        "collection "
            + collectionUri
            + " stayed contended: "
            + MAX_ATTEMPTS
            + " conditional writes lost to other writers",
        null);
  }

  /** Reads an item of the catalog, if it exists. */
  public Optional<JsonNode> readItem(StacCollection collection, String id) {
    return store
        .read(layout.uri(layout.itemKey(collection, id)))
        .map(ConditionalStore.Versioned::doc);
  }

  /**
   * The re-run check (ADR 0163): the published item {@code id} when it was made from exactly these
   * source versions (same objects, ETags and sizes), so the job has nothing to do unless forced;
   * empty when it does not exist, records no sources, or any source differs.
   */
  public Optional<JsonNode> unchanged(
      StacCollection collection, String id, List<SourceVersion> sources) {
    return readItem(collection, id).filter(item -> SourceVersion.unchanged(item, sources));
  }

  /** Creates the root catalog and both collections where they do not exist yet. */
  public void ensureCatalog() {
    ObjectNode root = CatalogDocs.root(json, layout);
    check(root, "root catalog");
    createIfAbsent(layout.uri(CatalogLayout.ROOT_KEY), root);
    for (StacCollection c : StacCollection.values()) {
      ObjectNode doc = CatalogDocs.collection(json, layout, c);
      check(doc, "collection " + c.id());
      createIfAbsent(layout.uri(layout.collectionKey(c)), doc);
    }
  }

  /** Until the document exists: ours, or another job's that won the race. */
  private void createIfAbsent(S3Uri uri, ObjectNode doc) {
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      if (store.read(uri).isPresent()) return;
      if (store.create(uri, bytes(doc), Stac.JSON) == ConditionalStore.Outcome.WRITTEN) return;
      backoff(attempt);
    }
    throw JobFailure.transientFailure(
        uri + " could not be created in " + MAX_ATTEMPTS + " conditional writes", null);
  }

  private void check(JsonNode doc, String what) {
    List<String> errors = validator.validate(doc);
    if (!errors.isEmpty())
      throw new IllegalArgumentException(
          what + " breaks the STAC rules: " + String.join("; ", errors));
  }

  private byte[] bytes(JsonNode doc) {
    try {
      return json.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void backoff(int attempt) {
    long capMs = Math.min(400, 5L << Math.min(attempt, 7));
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(1, capMs + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw JobFailure.transientFailure("interrupted while updating the catalog", e);
    }
  }
}
