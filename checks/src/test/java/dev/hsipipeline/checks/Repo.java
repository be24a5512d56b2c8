package dev.hsipipeline.checks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The repository these checks run in: its root and the Maven modules the root POM lists. */
final class Repo {

  private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");

  private Repo() {}

  /** The directory holding the {@code pipeline} launcher and the root POM, above the build's. */
  static Path root() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("pipeline")) && Files.isRegularFile(d.resolve("pom.xml"))) {
        return d;
      }
    }
    throw new IllegalStateException("no repository root (pipeline + pom.xml) above " + Path.of(""));
  }

  /** Every module directory of the root POM, except this one. */
  static List<Path> modules() {
    Path root = root();
    List<Path> modules = new ArrayList<>();
    Matcher m = MODULE.matcher(read(root.resolve("pom.xml")));
    while (m.find()) {
      Path module = root.resolve(m.group(1).trim()).normalize();
      if (!module.getFileName().toString().equals("checks")) {
        modules.add(module);
      }
    }
    return modules;
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
