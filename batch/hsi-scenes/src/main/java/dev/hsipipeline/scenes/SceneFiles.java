package dev.hsipipeline.scenes;

import java.util.List;

/** How an ENVI scene's two files find each other, on S3 and on disk alike. */
public final class SceneFiles {
  /**
   * Data file suffixes tried after the header's base name, in order ({@code x.hdr} → x, x.img…).
   */
  public static final List<String> DATA_EXTENSIONS =
      List.of("", ".img", ".dat", ".raw", ".bsq", ".bil", ".bip", ".bin");

  private SceneFiles() {}

  /**
   * Header names tried for a data file {@code key}, in order: {@code x.img.hdr}, {@code x.hdr} and
   * their upper-case forms.
   *
   * @param stem the data file name without its last extension (equal to it when it has none)
   */
  public static List<String> headerCandidates(String key, String stem) {
    return List.of(key + ".hdr", stem + ".hdr", key + ".HDR", stem + ".HDR");
  }
}
