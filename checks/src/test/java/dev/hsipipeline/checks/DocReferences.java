package dev.hsipipeline.checks;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds what a Markdown document names — relative links, repository paths in code, {@code
 * ./pipeline} commands and ADR numbers — and reports each one that does not exist.
 *
 * <p>Paths are checked when they are unambiguous: a relative link, or a path in code whose first
 * segment is a top-level entry of the repository (or a directory next to the document). Build
 * outputs ({@code target/}, {@code node_modules/}) are not checked; {@code <placeholders>} and
 * {@code *} match any name, so {@code docs/adr/0033-*} and {@code batch/<job>/Dockerfile} must
 * match at least one file.
 *
 * @param files every file and directory of the repository, relative, with {@code /} separators
 * @param topLevel the repository's top-level entries, e.g. {@code docs}, {@code bench}
 * @param commands the first words {@code ./pipeline} accepts
 * @param adrs the numbers of the ADRs in {@code docs/adr/}, e.g. {@code 0031}
 */
record DocReferences(
    Set<String> files, Set<String> topLevel, Set<String> commands, Set<String> adrs) {

  /** One name in a document that points at nothing. */
  record Broken(String doc, int line, String what, String reason) {
    @Override
    public String toString() {
      return doc + ":" + line + ": " + what + " " + reason;
    }
  }

  private static final Pattern LINK =
      Pattern.compile("\\[[^\\]]*]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
  private static final Pattern CODE_SPAN = Pattern.compile("`([^`\\n]+)`");
  private static final Pattern FENCE = Pattern.compile("(?ms)^\\s*```[^\\n]*\\n(.*?)^\\s*```");

  /** Before a code block: its paths are relative to another root, e.g. the data dir. */
  private static final Pattern ROOT_MARK =
      Pattern.compile("<!--\\s*paths below are relative to (\\S+)\\s*-->\\s*$");

  private static final Pattern HTML_BREAK = Pattern.compile("<br\\s*/?>");
  private static final Pattern URL = Pattern.compile("[a-zA-Z][\\w+.-]*://\\S+");
  private static final Pattern PATH_TOKEN =
      Pattern.compile("(?<![\\w./$<>{}*|:-])(?:\\./[\\w.-]+|[\\w.<>{}*-]+/)[\\w./<>{}*|-]*");
  private static final Pattern COMMAND = Pattern.compile("\\./pipeline\\s+([a-z][a-z0-9-]*)");
  private static final Pattern ADR =
      Pattern.compile("\\bADRs?\\s+(\\d{4})((?:\\s*(?:,|/|and|or|&)\\s*\\d{4})*)");
  private static final Pattern ADR_PATH = Pattern.compile("docs/adr/(\\d{4})\\b");
  private static final Pattern NUMBER = Pattern.compile("\\d{4}");

  /** Everything {@code text} (the document at {@code doc}, relative to the root) names wrongly. */
  List<Broken> check(String doc, String text) {
    List<Broken> broken = new ArrayList<>();
    String dir = doc.contains("/") ? doc.substring(0, doc.lastIndexOf('/')) : "";
    Matcher link = LINK.matcher(text);
    while (link.find()) {
      String target = link.group(1);
      if (target.contains("://") || target.startsWith("mailto:") || target.startsWith("#")) {
        continue;
      }
      String path = target.replaceAll("#.*$", "");
      String resolved = normalize(dir.isEmpty() ? path : dir + "/" + path);
      if (resolved == null || !exists(resolved)) {
        broken.add(
            new Broken(
                doc, lineOf(text, link.start()), "link (" + target + ")", "points at no file"));
      }
    }
    Matcher span = CODE_SPAN.matcher(text);
    while (span.find()) {
      checkPaths(doc, dir, text, span.start(1), span.group(1), broken);
    }
    Matcher fence = FENCE.matcher(text);
    while (fence.find()) {
      Matcher mark = ROOT_MARK.matcher(text.substring(0, fence.start()).stripTrailing());
      if (mark.find() && isBuildOutput(mark.group(1))) {
        continue; // a listing of the data dir or a build output, not of the repository
      }
      checkPaths(doc, dir, text, fence.start(1), fence.group(1), broken);
    }
    Matcher cmd = COMMAND.matcher(text);
    while (cmd.find()) {
      if (!commands.contains(cmd.group(1))) {
        broken.add(
            new Broken(
                doc,
                lineOf(text, cmd.start()),
                "`./pipeline " + cmd.group(1) + "`",
                "is not a command of the launcher or the CLI (known: "
                    + new TreeSet<>(commands)
                    + ")"));
      }
    }
    checkAdrs(doc, text, broken);
    return broken;
  }

  /** ADR numbers named in Java comments ({@code ADR 0031}, {@code docs/adr/0091}). */
  List<Broken> checkAdrReferences(String file, String text) {
    List<Broken> broken = new ArrayList<>();
    checkAdrs(file, text, broken);
    return broken;
  }

  private void checkAdrs(String doc, String text, List<Broken> broken) {
    Matcher adr = ADR.matcher(text);
    while (adr.find()) {
      Matcher n = NUMBER.matcher(adr.group(1) + adr.group(2));
      while (n.find()) {
        requireAdr(doc, text, adr.start(), n.group(), broken);
      }
    }
    Matcher path = ADR_PATH.matcher(text);
    while (path.find()) {
      requireAdr(doc, text, path.start(), path.group(1), broken);
    }
  }

  private void requireAdr(String doc, String text, int at, String number, List<Broken> broken) {
    if (!adrs.contains(number)) {
      broken.add(new Broken(doc, lineOf(text, at), "ADR " + number, "has no file in docs/adr/"));
    }
  }

  private void checkPaths(
      String doc, String dir, String text, int offset, String code, List<Broken> broken) {
    String plain = URL.matcher(code).replaceAll(m -> " ".repeat(m.group().length()));
    plain = HTML_BREAK.matcher(plain).replaceAll(m -> " ".repeat(m.group().length()));
    Matcher token = PATH_TOKEN.matcher(plain);
    while (token.find()) {
      String path = token.group().replaceAll("[.,:;]+$", "");
      int bar = path.indexOf('|');
      if (bar >= 0) {
        path = path.substring(0, bar);
      }
      if (path.contains("...") || path.contains("…")) {
        continue; // abbreviated: nothing definite to check
      }
      int line = lineOf(text, offset + token.start());
      if (path.startsWith("./")) {
        path = path.substring(2); // ./pipeline, ./mvnw: a file at the repository root
        if (path.isEmpty()) {
          continue; // "./" itself
        }
        if (!path.contains("/")) {
          if (!files.contains(path)) {
            broken.add(new Broken(doc, line, "`./" + path + "`", "names no file"));
          }
          continue;
        }
      }
      String resolved = resolve(dir, path);
      if (resolved == null) {
        continue; // not a repository path (an S3 key, a URL path, a path inside a container)
      }
      if (isBuildOutput(resolved) || exists(resolved)) {
        continue;
      }
      broken.add(new Broken(doc, line, "`" + path + "`", "names no file"));
    }
  }

  /**
   * The repository path {@code path} names: from the root when its first segment is a top-level
   * entry, else next to the document when that segment is there; null when it is neither.
   */
  private String resolve(String dir, String path) {
    String first = path.substring(0, path.indexOf('/'));
    if (topLevel.contains(first)) {
      return normalize(path);
    }
    if (!dir.isEmpty() && files.contains(normalize(dir + "/" + first))) {
      return normalize(dir + "/" + path);
    }
    return null;
  }

  private boolean exists(String path) {
    String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    if (p.isEmpty()) {
      return true;
    }
    if (!p.matches(".*[*<{].*")) {
      return files.contains(p);
    }
    String glob = p.replaceAll("<[^>]*>", "*").replace('|', ',');
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
    return files.stream().anyMatch(f -> matcher.matches(Path.of(f)));
  }

  private static boolean isBuildOutput(String path) {
    return ("/" + path + "/").matches(".*/(target|node_modules|\\.pipeline|\\.git)/.*");
  }

  /** {@code a/./b/../c} as {@code a/c}; null when it climbs out of the repository. */
  private static String normalize(String path) {
    List<String> parts = new ArrayList<>();
    for (String part : path.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (parts.isEmpty()) {
          return null;
        }
        parts.removeLast();
      } else {
        parts.add(part);
      }
    }
    return String.join("/", parts) + (path.endsWith("/") && !parts.isEmpty() ? "/" : "");
  }

  private static int lineOf(String text, int offset) {
    int line = 1;
    for (int i = 0; i < offset && i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }
}
