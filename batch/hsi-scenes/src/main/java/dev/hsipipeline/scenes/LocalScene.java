package dev.hsipipeline.scenes;

import dev.hsipipeline.hsi.CubeSource;
import dev.hsipipeline.hsi.EnviHeader;
import dev.hsipipeline.hsi.EnviHeaderException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An ENVI scene on the local disk, found, parsed and checked the way the jobs check one on S3 (same
 * partner-file rules, same size check), for {@code ./pipeline cog} and {@code ./pipeline process}.
 *
 * @param headerFile the {@code .hdr} file
 * @param dataFile the data file next to it
 * @param header the parsed header
 */
public record LocalScene(Path headerFile, Path dataFile, EnviHeader header) {

  /**
   * Opens a scene from its header or its data file.
   *
   * @throws IllegalArgumentException naming the file and the problem: missing, no partner file,
   *     corrupt header, data shorter or longer than the header describes
   */
  public static LocalScene open(Path path) throws IOException {
    Path file = path.toAbsolutePath().normalize();
    if (!Files.isRegularFile(file)) throw new IllegalArgumentException("no such file: " + file);
    String name = file.getFileName().toString();
    Path headerFile;
    Path dataFile;
    if (name.toLowerCase(Locale.ROOT).endsWith(".hdr")) {
      headerFile = file;
      dataFile = dataNextTo(file);
    } else {
      dataFile = file;
      headerFile = headerNextTo(file);
    }
    if (Files.size(headerFile) > HsiScenes.MAX_HEADER_BYTES)
      throw new IllegalArgumentException(
          headerFile + " is " + Files.size(headerFile) + " bytes: not an ENVI header");
    EnviHeader header;
    try {
      header =
          EnviHeader.parse(
              Files.readString(headerFile, StandardCharsets.ISO_8859_1), headerFile.toString());
    } catch (EnviHeaderException e) {
      throw new IllegalArgumentException("corrupt header: " + e.getMessage(), e);
    }
    long size = Files.size(dataFile), expected = header.expectedObjectSize();
    if (size != expected)
      throw new IllegalArgumentException(
          (size < expected ? "truncated data: " : "size mismatch: ")
              + dataFile
              + " has "
              + size
              + " bytes, expected "
              + expected
              + " bytes ("
              + header.sizeFormula()
              + ")");
    return new LocalScene(headerFile, dataFile, header);
  }

  /** The data file as a cube source. */
  public CubeSource source() {
    return CubeSource.ofFile(dataFile);
  }

  private static Path dataNextTo(Path header) {
    String name = header.getFileName().toString();
    String base = name.substring(0, name.length() - 4);
    List<String> tried = new ArrayList<>();
    for (String ext : SceneFiles.DATA_EXTENSIONS) {
      Path candidate = header.resolveSibling(base + ext);
      tried.add(candidate.getFileName().toString());
      if (Files.isRegularFile(candidate)) return candidate;
    }
    throw new IllegalArgumentException(
        "no data file next to header " + header + " (looked for " + String.join(", ", tried) + ")");
  }

  private static Path headerNextTo(Path data) {
    String name = data.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    for (String candidate : SceneFiles.headerCandidates(name, stem)) {
      Path p = data.resolveSibling(candidate);
      if (Files.isRegularFile(p)) return p;
    }
    throw new IllegalArgumentException(
        "no ENVI header for data file "
            + data
            + " (looked for "
            + name
            + ".hdr, "
            + stem
            + ".hdr)");
  }
}
