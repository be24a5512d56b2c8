package dev.hsipipeline.stac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class AcquisitionTimeTest {
  private static final Instant UPLOAD = Instant.parse("2026-11-30T10:00:00Z");

  @Test
  void headerAcquisitionTimeWinsOverTheFileName() {
    AcquisitionTime t =
        AcquisitionTime.resolve("2019-07-04T17:30:00+02:00", "ang20210615t181501_rdn", UPLOAD);
    assertEquals(Instant.parse("2019-07-04T15:30:00Z"), t.datetime());
    assertEquals(AcquisitionTime.Source.HEADER, t.source());
    assertNull(t.start());
  }

  @Test
  void aHeaderDateWithoutTimeIsThatWholeDay() {
    AcquisitionTime t = AcquisitionTime.resolve("2019-07-04", "ang20210615t181501", UPLOAD);
    assertEquals(Instant.parse("2019-07-04T00:00:00Z"), t.start());
    assertEquals(Instant.parse("2019-07-04T23:59:59.999Z"), t.end());
    assertEquals(AcquisitionTime.Source.HEADER, t.source());
  }

  @Test
  void avirisNgSceneIdGivesTheSecond() {
    AcquisitionTime t = AcquisitionTime.resolve(null, "ang20210615t181501_rdn_v2z4.hdr", UPLOAD);
    assertEquals(Instant.parse("2021-06-15T18:15:01Z"), t.datetime());
    assertEquals("aviris-ng-file-name", t.source().label());
  }

  @Test
  void avirisClassicFlightIdGivesTheDayAsAnInterval() {
    AcquisitionTime t = AcquisitionTime.resolve(null, "f180201t01p00r02_sc01_ort_img", UPLOAD);
    assertEquals(Instant.parse("2018-02-01T00:00:00Z"), t.datetime());
    assertEquals(Instant.parse("2018-02-01T00:00:00Z"), t.start());
    assertEquals(Instant.parse("2018-02-01T23:59:59.999Z"), t.end());
    assertEquals(AcquisitionTime.Source.AVIRIS_CLASSIC_NAME, t.source());
    assertEquals(
        Instant.parse("1997-06-23T00:00:00Z"),
        AcquisitionTime.resolve(null, "f970623t01p02_r07", UPLOAD).datetime());
  }

  @Test
  void unparseableHeaderAndUnknownNameFallBackToTheUploadTimeMarkedAsSuch() {
    AcquisitionTime t = AcquisitionTime.resolve("sometime in June", "scene.hdr", UPLOAD);
    assertEquals(UPLOAD, t.datetime());
    assertEquals("upload-time", t.source().label());
    // digits that are no date (month 13) are not taken for a scene id
    assertEquals(
        AcquisitionTime.Source.UPLOAD_TIME,
        AcquisitionTime.resolve(null, "ang20211315t181501", UPLOAD).source());
    // the convention must start a name segment: "flag210101t1" is not a flight id
    assertEquals(
        AcquisitionTime.Source.UPLOAD_TIME,
        AcquisitionTime.resolve(null, "leaf210101t1", UPLOAD).source());
  }
}
