package dev.hsipipeline.hsi;

import java.util.Locale;

/** ENVI {@code interleave}: how samples, lines and bands are ordered in the data file. */
public enum Interleave {
  /** Band sequential: band, then line, then sample. */
  BSQ,
  /** Band interleaved by line: line, then band, then sample. */
  BIL,
  /** Band interleaved by pixel: line, then sample, then band. */
  BIP;

  /** Lowercase header spelling. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a header value case-insensitively, or returns {@code null}. */
  public static Interleave parse(String value) {
    for (Interleave i : values()) {
      if (i.name().equalsIgnoreCase(value.trim())) return i;
    }
    return null;
  }
}
