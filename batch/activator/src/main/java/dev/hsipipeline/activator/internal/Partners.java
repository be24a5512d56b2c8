package dev.hsipipeline.activator.internal;

import dev.hsipipeline.job.JobFailure;
import dev.hsipipeline.job.S3Store;
import dev.hsipipeline.job.S3Uri;
import dev.hsipipeline.scenes.SceneFiles;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Finds an ENVI header's data file, or a data file's header, with one LIST request. */
public final class Partners {
  private Partners() {}

  /** Header and data of one scene. */
  public record Pair(S3Uri header, S3Uri data) {}

  /**
   * @param scene the header ({@code .hdr}) or the data file
   * @throws JobFailure permanent "missing object" naming what was looked for
   */
  public static Pair locate(S3Store s3, S3Uri scene) {
    String key = scene.key();
    if (key.toLowerCase(Locale.ROOT).endsWith(".hdr")) {
      String base = key.substring(0, key.length() - 4);
      Set<String> keys = new HashSet<>(s3.listKeys(scene.bucket(), base));
      if (!keys.contains(key)) throw JobFailure.missingObject(scene);
      List<String> tried = new ArrayList<>();
      for (String ext : SceneFiles.DATA_EXTENSIONS) {
        String candidate = base + ext;
        tried.add(name(candidate));
        if (keys.contains(candidate)) return new Pair(scene, scene.withKey(candidate));
      }
      throw JobFailure.permanent(
          "missing object: no data file next to header "
              + scene
              + " (looked for "
              + String.join(", ", tried)
              + ")");
    }
    int dot = key.lastIndexOf('.');
    int slash = key.lastIndexOf('/');
    String stem = dot > slash ? key.substring(0, dot) : key;
    Set<String> keys = new HashSet<>(s3.listKeys(scene.bucket(), stem));
    if (!keys.contains(key)) throw JobFailure.missingObject(scene);
    for (String candidate : SceneFiles.headerCandidates(key, stem)) {
      if (keys.contains(candidate)) return new Pair(scene.withKey(candidate), scene);
    }
    throw JobFailure.permanent(
        "missing object: no ENVI header for data file "
            + scene
            + " (looked for "
            + name(key + ".hdr")
            + (stem.equals(key) ? "" : ", " + name(stem + ".hdr"))
            + ")");
  }

  private static String name(String key) {
    int i = key.lastIndexOf('/');
    return i < 0 ? key : key.substring(i + 1);
  }
}
