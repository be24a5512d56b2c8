package dev.hsipipeline.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hsipipeline.job.S3Uri;
import dev.hsipipeline.stac.CatalogLayout;
import dev.hsipipeline.stac.CatalogWalker;
import dev.hsipipeline.stac.StacValidator;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The end of {@code pipeline demo}: walks the data bucket's STAC catalog as a STAC reader does
 * ({@link CatalogWalker}: from {@code catalog.json} through every link to every asset, each
 * document checked against the STAC rules) and prints its items and every problem found.
 */
final class CatalogReport {
  private CatalogReport() {}

  /** Prints the walk; returns the problems (empty for a sound catalog). */
  static List<String> print(S3Client s3, String bucket, PrintWriter out) {
    S3Uri root = new S3Uri(bucket, CatalogLayout.ROOT_KEY);
    CatalogWalker.Walk walk = CatalogWalker.walk(s3, new ObjectMapper(), new StacValidator(), root);
    out.printf(
        "STAC catalog %s: %d documents, %d assets reached from the root%n",
        root, walk.documents().size(), walk.assets().size());
    for (Map.Entry<S3Uri, JsonNode> d : walk.documents().entrySet()) {
      JsonNode doc = d.getValue();
      if (!"Feature".equals(doc.path("type").asText())) continue;
      JsonNode p = doc.path("properties");
      out.printf(
          "  %-11s %s  %s%s%n",
          doc.path("collection").asText(),
          doc.path("id").asText(),
          p.path("datetime").asText(),
          doc.path("geometry").isNull()
              ? ", not georeferenced"
              : ", footprint " + doc.path("bbox"));
    }
    if (walk.problems().isEmpty()) out.println("  problems: none");
    else {
      out.println("  problems:");
      walk.problems().forEach(pr -> out.println("    " + pr));
    }
    out.println();
    return walk.problems();
  }
}
