package dev.hsipipeline.bench.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class GdalBandLayoutTest {
  @Test
  void overviewFactorsHalveUntilTheLevelFitsInOneTile() {
    assertEquals(List.of(), GdalBandLayout.factors(512, 512, 512));
    assertEquals(List.of(2), GdalBandLayout.factors(677, 700, 512));
    assertEquals(List.of(2), GdalBandLayout.factors(600, 540, 512));
    assertEquals(List.of(2, 4), GdalBandLayout.factors(677, 1400, 512));
    assertEquals(List.of(2, 4, 8), GdalBandLayout.factors(677, 2800, 512));
    assertEquals(List.of(2, 4, 8), GdalBandLayout.factors(4000, 300, 512));
  }
}
