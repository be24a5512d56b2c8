package dev.hsipipeline.hsi;

import static dev.hsipipeline.hsi.EnviGeoreferencingGdalTest.northUp;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hsipipeline.hsi.EnviGeoreferencingGdalTest.Case;
import dev.hsipipeline.hsi.geo.Crs;
import dev.hsipipeline.testkit.gdal.EnabledIfGdal;
import dev.hsipipeline.testkit.gdal.Gdal;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GDAL 3.6 is the oracle for {@link Crs#wkt2()} (STAC's {@code proj:wkt2}): ENVI headers GDAL's
 * ENVI driver writes for CRSs without an EPSG code the pipeline can identify; the WKT2 we make from
 * each header must be read by GDAL/PROJ ({@code SetFromUserInput}) as the same CRS ({@code IsSame})
 * as the SRS GDAL reads from that header, as {@code gdalsrsinfo -o wkt2} of the file, and as the
 * header's own WKT1. Projections without standard WKT2 are refused with their name.
 */
@EnabledIfGdal
class Wkt2GdalTest {
  @TempDir Path dir;

  static Case proj(String name, String proj) {
    return Case.of(name, proj + " +units=m +no_defs", northUp(100000, 200000, 30), 0);
  }

  @Test
  void theWkt2OfAHeaderGdalWroteIsTheCrsGdalReadsFromIt() throws IOException {
    List<Case> cases =
        List.of(
            proj("lccNad83", "+proj=lcc +lat_1=33 +lat_2=45 +lat_0=39 +lon_0=-96 +datum=NAD83"),
            proj(
                "albersGrs80",
                "+proj=aea +lat_1=29.5 +lat_2=45.5 +lat_0=23 +lon_0=-96 +ellps=GRS80"),
            proj(
                "tmNotUtm",
                "+proj=tmerc +lat_0=10 +lon_0=-117.5 +k=0.9996 +x_0=200000 +y_0=50000 +datum=WGS84"),
            proj("utmInternational1924", "+proj=utm +zone=33 +ellps=intl"),
            proj("utmBessel", "+proj=utm +zone=32 +south +ellps=bessel"),
            proj("polarNorth", "+proj=stere +lat_0=90 +lat_ts=70 +lon_0=-45 +datum=WGS84"),
            proj("polarSouth", "+proj=stere +lat_0=-90 +lat_ts=-71 +lon_0=0 +datum=WGS84"),
            proj(
                "polarSouthCustom",
                "+proj=stere +lat_0=-90 +lat_ts=-65 +lon_0=30 +x_0=1000 +y_0=2000 +ellps=intl"),
            proj(
                "lambertOneParallel",
                "+proj=lcc +lat_1=40 +lat_0=40 +lon_0=10 +k_0=0.9997 +x_0=300000 +y_0=100000"
                    + " +ellps=GRS80"),
            proj("laea", "+proj=laea +lat_0=45 +lon_0=-100 +datum=WGS84"),
            proj("mercator", "+proj=merc +lon_0=20 +lat_ts=10 +datum=WGS84"),
            proj(
                "obliqueStereographic",
                "+proj=sterea +lat_0=52 +lon_0=5 +k=0.9999 +x_0=155000 +y_0=463000 +ellps=bessel"),
            proj(
                "hotineObliqueMercator",
                "+proj=omerc +lat_0=4 +lonc=102.25 +alpha=323.0257905 +k=0.99984 +x_0=804670.24"
                    + " +y_0=0 +no_uoff +gamma=323.1301023611111 +ellps=evrst69"),
            proj("sinusoidalSphere", "+proj=sinu +lon_0=0 +R=6371007.181"),
            Case.of(
                "geographicInternational1924",
                "+proj=longlat +ellps=intl +no_defs",
                new double[] {10, 0.001, 0, 45, 0, -0.001},
                0));
    Gdal.python(
        EnviGeoreferencingGdalTest.script("envi_oracle.py"),
        Map.of("dir", dir.toString(), "create", cases.stream().map(Case::json).toList()));
    List<Map<String, String>> ours = new ArrayList<>();
    for (Case c : cases) {
      Path img = dir.resolve(c.name() + ".img");
      Crs crs = EnviGeoreferencingGdalTest.parse(img).georeferencing().orElseThrow().crs();
      assertEquals(0, crs.epsg(), c.name() + ": the pipeline identifies no EPSG code");
      String wkt2 = crs.wkt2();
      assertTrue(
          wkt2.startsWith(c.name().startsWith("geographic") ? "GEOGCRS[" : "PROJCRS["),
          c.name() + ": " + wkt2);
      ours.add(Map.of("file", img.toString(), "wkt2", wkt2));
    }
    JsonNode gdal = Gdal.python(EnviGeoreferencingGdalTest.script("wkt2_oracle.py"), ours);
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      JsonNode r = gdal.get(i);
      String what = cases.get(i).name() + ": ";
      if (!r.get("accepted").asBoolean()) {
        failures.add(what + "GDAL refuses " + ours.get(i).get("wkt2") + ": " + r.get("error"));
        continue;
      }
      String gdalWkt2 = r.get("gdalWkt2").asText();
      boolean sameAsGdal =
          r.get("sameAsDataset").asBoolean() && r.get("sameAsGdalsrsinfoWkt2").asBoolean();
      if (!sameAsGdal || !r.get("sameAsHeaderWkt").asBoolean())
        failures.add(what + r + "\n ours: " + ours.get(i).get("wkt2") + "\n GDAL: " + gdalWkt2);
    }
    assertEquals(List.of(), failures, String.join("\n", failures));
  }

  @Test
  void projectionsWithoutStandardWkt2InHeadersGdalWroteAreRefusedByName() throws IOException {
    List<Case> cases =
        List.of(
            proj(
                "lambertScaledOffOrigin",
                "+proj=lcc +lat_1=41 +lat_0=40 +lon_0=10 +k_0=0.9997 +x_0=300000 +ellps=GRS80"));
    Gdal.python(
        EnviGeoreferencingGdalTest.script("envi_oracle.py"),
        Map.of("dir", dir.toString(), "create", cases.stream().map(Case::json).toList()));
    // GDAL writes PROJ's Lambert "2SP Michigan" (a scaled ellipsoid) as ESRI
    // Lambert_Conformal_Conic with Scale_Factor; SIS would keep the factor as a parameter 2SP
    // does not have. (ESRI's Equidistant_Conic is refused too: CrsWkt2Test.)
    Map<String, String> reasons =
        Map.of("lambertScaledOffOrigin", "\"scale_factor\", which is not an EPSG or GeoTIFF");
    for (Case c : cases) {
      Crs crs =
          EnviGeoreferencingGdalTest.parse(dir.resolve(c.name() + ".img"))
              .georeferencing()
              .orElseThrow()
              .crs();
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, crs::wkt2);
      assertTrue(e.getMessage().contains(reasons.get(c.name())), c.name() + ": " + e.getMessage());
    }
  }
}
