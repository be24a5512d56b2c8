package dev.hsipipeline.stac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hsipipeline.job.S3Uri;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What decides "no work" for a re-run, and what keeps products of other parameters apart. */
class ReRunKeysTest {
  private final CatalogLayout layout = new CatalogLayout("hsi-data", null);
  private final S3Uri hdr = new S3Uri("raw", "s/x.hdr");
  private final S3Uri img = new S3Uri("raw", "s/x.img");

  private ObjectNode itemFrom(List<SourceVersion> sources) {
    return Fixtures.sceneItem(layout, "x", false).sources(sources).build();
  }

  @Test
  void sameEtagsAndSizesAreUnchangedInAnyOrder() {
    List<SourceVersion> v1 =
        List.of(new SourceVersion(hdr, "\"h1\"", 812), new SourceVersion(img, "\"d1\"", 4096));
    ObjectNode item = itemFrom(v1);
    assertEquals(List.of(), Fixtures.VALIDATOR.validate(item));
    assertTrue(SourceVersion.unchanged(item, v1));
    assertTrue(SourceVersion.unchanged(item, List.of(v1.get(1), v1.get(0))));
  }

  @Test
  void anotherEtagOrSizeOrObjectIsAChange() {
    ObjectNode item =
        itemFrom(
            List.of(new SourceVersion(hdr, "\"h1\"", 812), new SourceVersion(img, "\"d1\"", 4096)));
    assertFalse(
        SourceVersion.unchanged(
            item,
            List.of(
                new SourceVersion(hdr, "\"h1\"", 812), new SourceVersion(img, "\"d2\"", 4096))));
    assertFalse(
        SourceVersion.unchanged(
            item,
            List.of(
                new SourceVersion(hdr, "\"h1\"", 812), new SourceVersion(img, "\"d1\"", 4097))));
    assertFalse(SourceVersion.unchanged(item, List.of(new SourceVersion(hdr, "\"h1\"", 812))));
  }

  @Test
  void anItemWithoutSourcesIsNeverUnchanged() {
    ObjectNode old = Fixtures.sceneItem(layout, "x", false).build();
    assertFalse(SourceVersion.unchanged(old, List.of(new SourceVersion(hdr, "\"h1\"", 812))));
  }

  @Test
  void productKeysFollowTheParametersNotTheirOrder() {
    ProductKey all =
        ProductKey.builder().quicklook(640, 550, 470, 1024).ndi(860, 650).stats().build();
    assertEquals("stats.ndi-860-650.ql-640-550-470-1024", all.value());
    assertEquals(
        all, ProductKey.builder().stats().ndi(860.0, 650.0).quicklook(640, 550, 470, 1024).build());
    ProductKey other =
        ProductKey.builder().stats().ndi(800, 600.5).quicklook(640, 550, 470, 1024).build();
    assertNotEquals(all, other, "another wavelength pair is another product");
    assertEquals("stats.ndi-800-600.5.ql-640-550-470-1024", other.value());
    assertEquals(
        "scene-1a2b3c4d.ndi-860-650",
        ProductKey.builder().ndi(860, 650).build().itemId("scene-1a2b3c4d"));
    assertThrows(IllegalStateException.class, () -> ProductKey.builder().build());
    assertThrows(IllegalArgumentException.class, () -> ProductKey.builder().ndi(-1, 650));
  }
}
