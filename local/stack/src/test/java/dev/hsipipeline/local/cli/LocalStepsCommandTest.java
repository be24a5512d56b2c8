package dev.hsipipeline.local.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.hsipipeline.hsi.Interleave;
import dev.hsipipeline.hsi.testdata.Placement;
import dev.hsipipeline.hsi.testdata.SyntheticScene;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pipeline cog} and {@code pipeline process}: the jobs' steps on local files. */
class LocalStepsCommandTest {
  @TempDir Path dir;

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = PipelineCli.execute(new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  private Path scene(Placement placement) throws Exception {
    return SyntheticScene.of(
            SyntheticScene.Spec.defaults()
                .withSize(40, 30, 20)
                .withInterleave(Interleave.BIL)
                .withPlacement(placement))
        .writeTo(dir, "scene-" + placement.label());
  }

  @Test
  void cogWritesTheActivatedSceneWithEveryBandAndTheScenesCrs() throws Exception {
    for (Placement p : new Placement[] {Placement.UTM, Placement.GEOGRAPHIC, Placement.NONE}) {
      Path out = dir.resolve(p.label() + ".tif");
      Run r = run("cog", scene(p).toString(), out.toString(), "--threads", "2");
      assertEquals(0, r.code(), r.err());
      TiffHead head = TiffHead.parse(Files.readAllBytes(out));
      TiffHead.Image full = head.images().get(0);
      assertEquals(40, full.width());
      assertEquals(30, full.height());
      assertEquals(20, full.samples());
      assertEquals("int16", full.format());
      String crs =
          switch (p) {
            case UTM -> "EPSG:32611";
            case GEOGRAPHIC -> "EPSG:4326";
            default -> "none";
          };
      assertEquals(crs, head.crs());
      assertTrue(r.out().contains(p == Placement.NONE ? "not georeferenced" : crs), r.out());
    }
  }

  @Test
  void cogOfATruncatedSceneNamesTheDataFileAndWritesNothing() throws Exception {
    Path hdr = scene(Placement.UTM);
    Path img = dir.resolve("scene-utm.img");
    try (FileChannel ch = FileChannel.open(img, StandardOpenOption.WRITE)) {
      ch.truncate(Files.size(img) - 100);
    }
    Path out = dir.resolve("broken.tif");
    Run r = run("cog", hdr.toString(), out.toString());
    assertEquals(1, r.code());
    assertTrue(r.err().contains("truncated data") && r.err().contains("scene-utm.img"), r.err());
    assertFalse(Files.exists(out));
  }

  @Test
  void processWritesTheRequestedProductsUnderTheirKey() throws Exception {
    Path out = dir.resolve("products");
    Run r =
        run(
            "process",
            scene(Placement.UTM).toString(),
            out.toString(),
            "--request",
            "{\"products\":[\"ndi\",\"quicklook\"],\"ndi\":{\"a\":800,\"b\":600}}");
    assertEquals(0, r.code(), r.err());
    Path products = out.resolve("ndi-800-600.ql-640-550-470-1024");
    TiffHead ndi = TiffHead.parse(Files.readAllBytes(products.resolve("ndi.tif")));
    assertEquals(1, ndi.images().get(0).samples());
    assertEquals("float32", ndi.images().get(0).format());
    assertEquals("EPSG:32611", ndi.crs());
    TiffHead ql = TiffHead.parse(Files.readAllBytes(products.resolve("quicklook.tif")));
    assertEquals(3, ql.images().get(0).samples());
    assertEquals("uint8", ql.images().get(0).format());
    assertTrue(Files.size(products.resolve("quicklook.png")) > 0);
    assertFalse(Files.exists(products.resolve("stats.json")), "stats were not requested");
    assertTrue(r.out().contains("ndi-800-600.ql-640-550-470-1024"), r.out());
  }

  @Test
  void processRejectsAnUnknownProductByName() throws Exception {
    Run r =
        run(
            "process",
            scene(Placement.UTM).toString(),
            dir.resolve("x").toString(),
            "--request",
            "{\"products\":[\"ndvi\"]}");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("unknown product \"ndvi\""), r.err());
  }

  @Test
  void aMissingSceneIsNamed() {
    Run r = run("cog", dir.resolve("nope.hdr").toString(), dir.resolve("o.tif").toString());
    assertEquals(1, r.code());
    assertTrue(r.err().contains("no such file") && r.err().contains("nope.hdr"), r.err());
  }
}
