package dev.hsipipeline.hsi.cog;

import static org.junit.jupiter.api.Assertions.*;

import dev.hsipipeline.hsi.CubeSource;
import dev.hsipipeline.hsi.DataType;
import dev.hsipipeline.hsi.EnviHeader;
import dev.hsipipeline.hsi.TruncatedDataException;
import dev.hsipipeline.hsi.testdata.SyntheticScene;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sinks deliver the same bytes, multipart uploads respect S3's part rules, and a failed write
 * leaves nothing that looks finished.
 */
class CogSinksTest {
  @TempDir Path dir;

  static final SyntheticScene SCENE =
      SyntheticScene.of(SyntheticScene.Spec.defaults().withSize(256, 200, 64));

  static byte[] data() throws IOException {
    try (InputStream in = SCENE.openData()) {
      return in.readAllBytes();
    }
  }

  static CogOptions options() {
    return CogOptions.defaults().withTileSize(64).withThreads(2);
  }

  static byte[] viaMemory() throws IOException {
    CogSinks.Memory m = CogSinks.memory();
    EnviToCog.convert(SCENE.header(), Optional.empty(), CubeSource.ofBytes(data()), options(), m);
    return m.bytes();
  }

  @Test
  void theFileSinkWritesExactlyWhatTheMemorySinkHolds() throws IOException {
    Path out = dir.resolve("a.tif");
    CogResult r =
        EnviToCog.convert(
            SCENE.header(),
            Optional.empty(),
            CubeSource.ofBytes(data()),
            options(),
            CogSinks.file(out));
    byte[] expected = viaMemory();
    assertArrayEquals(expected, Files.readAllBytes(out));
    assertEquals(expected.length, r.bytes());
    assertEquals(List.of(out), files(), "no temporary file is left");
  }

  @Test
  void aTruncatedSourceFailsClearlyAndLeavesNoFile() throws IOException {
    byte[] all = data();
    byte[] cut = Arrays.copyOf(all, all.length / 2);
    Path out = dir.resolve("b.tif");
    TruncatedDataException e =
        assertThrows(
            TruncatedDataException.class,
            () ->
                EnviToCog.convert(
                    SCENE.header(),
                    Optional.empty(),
                    CubeSource.ofBytes(cut),
                    options(),
                    CogSinks.file(out)));
    assertEquals(SCENE.header().expectedObjectSize(), e.expectedBytes());
    assertEquals(List.of(), files(), "neither the COG nor a temporary file remains");
  }

  @Test
  void aFailedRewriteKeepsThePreviousFileUntouched() throws IOException {
    Path out = dir.resolve("c.tif");
    Files.writeString(out, "previous");
    CubeSource failing =
        (offset, length) -> {
          throw new IOException("connection reset");
        };
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                EnviToCog.convert(
                    SCENE.header(), Optional.empty(), failing, options(), CogSinks.file(out)));
    assertEquals("connection reset", e.getMessage());
    assertEquals("previous", Files.readString(out));
    assertEquals(List.of(out), files());
  }

  @Test
  void closingAWriterBeforeFinishAbortsTheSink() throws IOException {
    Path out = dir.resolve("d.tif");
    EnviHeader h = SCENE.header();
    CogRaster raster = EnviToCog.raster(h, Optional.empty());
    try (CogWriter w =
        CogWriter.open(raster, options(), CogSinks.file(out), h.interleave(), h.byteOrder())) {
      w.write(data(), 0, 10);
    }
    assertEquals(List.of(), files());
  }

  @Test
  void aMultipartUploadFollowsS3sRulesAndAssemblesTheSameBytes() throws IOException {
    SyntheticScene big = SyntheticScene.of(SyntheticScene.Spec.defaults().withSize(512, 512, 96));
    byte[] bytes;
    try (InputStream in = big.openData()) {
      bytes = in.readAllBytes();
    }
    S3LikeStore store = new S3LikeStore();
    EnviToCog.convert(
        big.header(),
        Optional.empty(),
        CubeSource.ofBytes(bytes),
        options(),
        new MultipartCogSink(store, MultipartCogSink.MIN_PART));
    CogSinks.Memory m = CogSinks.memory();
    EnviToCog.convert(big.header(), Optional.empty(), CubeSource.ofBytes(bytes), options(), m);
    assertTrue(
        store.parts.size() >= 3, "the body streamed as several parts: " + store.parts.keySet());
    assertEquals(1, store.parts.firstKey(), "the head is part 1");
    assertArrayEquals(m.bytes(), store.object);
  }

  @Test
  void aSmallCogIsOnePut() throws IOException {
    S3LikeStore store = new S3LikeStore();
    SyntheticScene small = SyntheticScene.of(SyntheticScene.Spec.defaults().withSize(40, 30, 3));
    byte[] bytes;
    try (InputStream in = small.openData()) {
      bytes = in.readAllBytes();
    }
    EnviToCog.convert(
        small.header(),
        Optional.empty(),
        CubeSource.ofBytes(bytes),
        options(),
        new MultipartCogSink(store));
    assertTrue(store.parts.isEmpty());
    assertNotNull(store.object);
    assertEquals('I', store.object[0]);
  }

  @Test
  void aFailureAbortsTheMultipartUploadAndCompletesNothing() {
    S3LikeStore store = new S3LikeStore();
    CubeSource failsLate =
        (offset, length) ->
            new InputStream() {
              long pos;

              @Override
              public int read() throws IOException {
                if (pos++ > 1_000_000) throw new IOException("source gone");
                return 1;
              }

              @Override
              public int read(byte[] b, int off, int len) throws IOException {
                if (pos > 1_000_000) throw new IOException("source gone");
                Arrays.fill(b, off, off + len, (byte) 1);
                pos += len;
                return len;
              }
            };
    assertThrows(
        IOException.class,
        () ->
            EnviToCog.convert(
                SCENE.header(),
                Optional.empty(),
                failsLate,
                options(),
                new MultipartCogSink(store, MultipartCogSink.MIN_PART)));
    assertTrue(store.aborted);
    assertNull(store.object, "nothing was completed");
  }

  @Test
  void partSizesGrowSoThatAHugeCogStaysWithin10000Parts() {
    MultipartCogSink sink = new MultipartCogSink(new S3LikeStore());
    sink.begin(1L << 30, 400L << 30); // 400 GiB body
    assertTrue((400L << 30) / sink.partSize() < MultipartCogSink.MAX_PARTS - 1);
    assertTrue(sink.partSize() >= 16 << 20);
  }

  private List<Path> files() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  /** An in-memory object store that enforces S3's multipart rules. */
  static final class S3LikeStore implements MultipartCogSink.PartStore {
    final TreeMap<Integer, byte[]> parts = new TreeMap<>();
    byte[] object;
    boolean aborted;

    @Override
    public void putObject(MultipartCogSink.PartData data) throws IOException {
      assertTrue(parts.isEmpty(), "no PutObject during a multipart upload");
      object = read(data);
    }

    @Override
    public void uploadPart(int n, MultipartCogSink.PartData data) throws IOException {
      assertTrue(n >= 1 && n <= MultipartCogSink.MAX_PARTS, "part number " + n);
      assertTrue(data.length() <= MultipartCogSink.MAX_PART);
      byte[] first = read(data);
      assertArrayEquals(first, read(data), "a part reads the same when retried");
      parts.put(n, first);
    }

    @Override
    public void complete() {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      int last = parts.lastKey();
      parts.forEach(
          (n, b) -> {
            if (n != last)
              assertTrue(b.length >= MultipartCogSink.MIN_PART, "part " + n + " below 5 MiB");
            all.writeBytes(b);
          });
      object = all.toByteArray();
    }

    @Override
    public void abort() {
      aborted = true;
      parts.clear();
    }

    private static byte[] read(MultipartCogSink.PartData d) throws IOException {
      try (InputStream in = d.open()) {
        byte[] b = in.readAllBytes();
        assertEquals(d.length(), b.length);
        return b;
      }
    }
  }

  @Test
  void rgbNeedsThreeUint8Bands() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new CogRaster(
                10,
                10,
                DataType.INT16,
                CogRaster.Photometric.RGB,
                List.of(
                    CogRaster.Band.named("r"),
                    CogRaster.Band.named("g"),
                    CogRaster.Band.named("b")),
                null,
                Optional.empty()));
  }
}
