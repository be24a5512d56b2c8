package dev.hsipipeline.bench.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;

class ReportingTest {

  @Test
  void percentilesInterpolateBetweenClosestRanks() {
    List<Double> s = List.of(5.0, 1.0, 4.0, 2.0, 3.0);
    assertEquals(3.0, Stats.median(s));
    assertEquals(2.5, Stats.median(List.of(1.0, 2.0, 3.0, 4.0)));
    assertEquals(4.96, Stats.percentile(s, 99), 1e-9);
    assertEquals(1.0, Stats.percentile(s, 0));
    assertTrue(Double.isNaN(Stats.median(List.of())));
  }

  @Test
  void ratiosAreOursOverTheOtherInTheBenchmarksDirection() {
    Benchmark lower = new Benchmark("cold", "cold", "ms", false);
    lower.add("java", Benchmark.Kind.OURS, List.of(900.0));
    lower.add("python", Benchmark.Kind.PEER, List.of(1260.0));
    assertEquals(1.4, lower.ratios().get("java vs python"), 1e-9);
    Benchmark higher = new Benchmark("rate", "rate", "x/s", true);
    higher.add("ours", Benchmark.Kind.OURS, List.of(100.0));
    higher.add("ours fast", Benchmark.Kind.OURS, List.of(400.0));
    higher.add("peer", Benchmark.Kind.PEER, List.of(200.0));
    assertEquals(
        2.0, higher.ratios().get("ours fast vs peer"), 1e-9, "the best OURS entry is compared");
  }

  @Test
  void chartIsWellFormedSvgAndEscapesLabels() throws Exception {
    Benchmark b = new Benchmark("x", "A <b> & \"c\"", "ms", false);
    b.add("<script>alert(1)</script>", Benchmark.Kind.OURS, List.of(1.0, 2.0, 3.0));
    b.add("peer", Benchmark.Kind.PEER, List.of(4.0));
    Benchmark skipped = new Benchmark("y", "skipped one", "ms", false);
    skipped.skip("failed: node missing");
    String svg = SvgChart.render("title", "machine", List.of(b, skipped));
    assertFalse(svg.contains("<script>"));
    DocumentBuilderFactory.newInstance()
        .newDocumentBuilder()
        .parse(
            new java.io.ByteArrayInputStream(
                svg.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertTrue(svg.contains("not measured: failed: node missing"));
  }

  @Test
  void jsonKeepsEverySampleTheMedianAndTheMachine() {
    Benchmark b = new Benchmark("x", "X", "ms", false);
    b.add("ours", Benchmark.Kind.OURS, List.of(3.0, 1.0, 2.0));
    b.note("a note");
    ObjectNode json = Report.toJson("2026-01-01T00-00", true, Map.of("cores", 2), List.of(b));
    assertEquals("quick", json.path("mode").asText());
    assertEquals(2, json.path("machine").path("cores").asInt());
    assertEquals(
        2.0, json.path("benchmarks").get(0).path("entries").get(0).path("median").asDouble());
    assertEquals(3, json.path("benchmarks").get(0).path("entries").get(0).path("samples").size());
    assertEquals("a note", json.path("benchmarks").get(0).path("notes").get(0).asText());
  }
}
