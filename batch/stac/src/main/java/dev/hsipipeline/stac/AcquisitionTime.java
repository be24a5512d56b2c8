package dev.hsipipeline.stac;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a scene was acquired, and how we know: the item's {@code datetime} (ADR 0163). In order of
 * preference: the header's {@code acquisition time}; the time a known scene-id convention encodes
 * in the file name (AVIRIS-NG {@code angYYYYMMDDtHHMMSS}: to the second; AVIRIS-classic {@code
 * fYYMMDDt…}: the day only, so the item also gets {@code start_datetime}/{@code end_datetime}
 * spanning that UTC day); else the upload time of the data object, marked as such — never "now", so
 * re-running writes identical metadata.
 *
 * @param datetime the item's {@code datetime}
 * @param start start of the interval the acquisition lies in, or null when it is an instant
 * @param end end of that interval, or null
 * @param source where the time came from
 * @param evidence the text it was read from (header value or file name), for {@code
 *     hsi:datetime_evidence}
 */
public record AcquisitionTime(
    Instant datetime, Instant start, Instant end, Source source, String evidence) {

  /** Where a datetime came from ({@code hsi:datetime_source}). */
  public enum Source {
    /** The ENVI header's {@code acquisition time}. */
    HEADER("header"),
    /** An AVIRIS-NG scene id ({@code angYYYYMMDDtHHMMSS}) in the file name. */
    AVIRIS_NG_NAME("aviris-ng-file-name"),
    /** An AVIRIS-classic flight id ({@code fYYMMDDt…}) in the file name: the day only. */
    AVIRIS_CLASSIC_NAME("aviris-classic-file-name"),
    /** The data object's upload (LastModified) time: not the acquisition time. */
    UPLOAD_TIME("upload-time");

    private final String label;

    Source(String label) {
      this.label = label;
    }

    /** The value written to {@code hsi:datetime_source}. */
    public String label() {
      return label;
    }
  }

  private static final Pattern AVIRIS_NG =
      Pattern.compile("(?:^|[^A-Za-z0-9])ang(\\d{4})(\\d{2})(\\d{2})t(\\d{2})(\\d{2})(\\d{2})");
  private static final Pattern AVIRIS_CLASSIC =
      Pattern.compile("(?:^|[^A-Za-z0-9])f(\\d{2})(\\d{2})(\\d{2})t\\d");

  /** Validates. */
  public AcquisitionTime {
    Objects.requireNonNull(datetime, "datetime");
    Objects.requireNonNull(source, "source");
    if ((start == null) != (end == null))
      throw new IllegalArgumentException("start and end come together");
  }

  /**
   * Resolves the acquisition time.
   *
   * @param headerAcquisitionTime the header's {@code acquisition time} value, or null
   * @param fileName the scene's file name (header or data), for the scene-id conventions
   * @param uploadTime the data object's LastModified; the last resort
   */
  public static AcquisitionTime resolve(
      String headerAcquisitionTime, String fileName, Instant uploadTime) {
    if (headerAcquisitionTime != null) {
      String text = headerAcquisitionTime.trim();
      try {
        // a date without a time names a whole UTC day, as an AVIRIS-classic flight id does
        LocalDate day = LocalDate.parse(text);
        Instant start = day.atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant end = day.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC).minusMillis(1);
        return new AcquisitionTime(start, start, end, Source.HEADER, text);
      } catch (DateTimeParseException notADate) {
        // a full time, or nothing usable
      }
      Instant t = parseHeader(text);
      if (t != null)
        return new AcquisitionTime(t, null, null, Source.HEADER, headerAcquisitionTime.trim());
    }
    if (fileName != null) {
      AcquisitionTime t = fromFileName(fileName);
      if (t != null) return t;
    }
    Instant upload = uploadTime == null ? Instant.EPOCH : uploadTime;
    return new AcquisitionTime(upload, null, null, Source.UPLOAD_TIME, null);
  }

  /**
   * The acquisition time an item of this catalog records ({@code datetime}, {@code
   * start_datetime}/{@code end_datetime}, {@code hsi:datetime_source}), e.g. for a product to
   * inherit its scene's.
   *
   * @throws IllegalArgumentException naming the field when the item has no parseable datetime
   */
  public static AcquisitionTime ofItem(com.fasterxml.jackson.databind.JsonNode item) {
    com.fasterxml.jackson.databind.JsonNode p = item.path("properties");
    try {
      Instant t = Instant.parse(p.path("datetime").asText(""));
      Instant start =
          p.hasNonNull("start_datetime") ? Instant.parse(p.get("start_datetime").asText()) : null;
      Instant end =
          p.hasNonNull("end_datetime") ? Instant.parse(p.get("end_datetime").asText()) : null;
      Source source = Source.UPLOAD_TIME;
      for (Source s : Source.values())
        if (s.label().equals(p.path("hsi:datetime_source").asText())) source = s;
      return new AcquisitionTime(
          t, start, end, source, p.path("hsi:datetime_evidence").asText(null));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "item " + item.path("id").asText() + ": properties.datetime is not an RFC 3339 time", e);
    }
  }

  /** The time a scene-id convention in the file name encodes, or null if none matches. */
  static AcquisitionTime fromFileName(String fileName) {
    String name = fileName.toLowerCase(java.util.Locale.ROOT);
    Matcher ng = AVIRIS_NG.matcher(name);
    if (ng.find()) {
      try {
        Instant t =
            LocalDateTime.of(
                    Integer.parseInt(ng.group(1)),
                    Integer.parseInt(ng.group(2)),
                    Integer.parseInt(ng.group(3)),
                    Integer.parseInt(ng.group(4)),
                    Integer.parseInt(ng.group(5)),
                    Integer.parseInt(ng.group(6)))
                .toInstant(ZoneOffset.UTC);
        return new AcquisitionTime(t, null, null, Source.AVIRIS_NG_NAME, fileName);
      } catch (DateTimeException e) {
        // digits in the right places that are no date: not this convention
      }
    }
    Matcher classic = AVIRIS_CLASSIC.matcher(name);
    if (classic.find()) {
      int yy = Integer.parseInt(classic.group(1));
      // AVIRIS-classic flew 1987-2021: 87-99 are 1900s, the rest 2000s.
      int year = yy >= 87 ? 1900 + yy : 2000 + yy;
      try {
        LocalDate day =
            LocalDate.of(
                year, Integer.parseInt(classic.group(2)), Integer.parseInt(classic.group(3)));
        Instant start = day.atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant end = day.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC).minusMillis(1);
        return new AcquisitionTime(start, start, end, Source.AVIRIS_CLASSIC_NAME, fileName);
      } catch (DateTimeException e) {
        // not a date
      }
    }
    return null;
  }

  /** ISO-8601 instants, offsets, local date-times (taken as UTC) and dates; else null. */
  static Instant parseHeader(String t) {
    try {
      return Instant.parse(t);
    } catch (DateTimeParseException ignored) {
      // next form
    }
    try {
      return OffsetDateTime.parse(t).toInstant();
    } catch (DateTimeParseException ignored) {
      // next form
    }
    try {
      return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException ignored) {
      // next form
    }
    try {
      return LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException ignored) {
      return null;
    }
  }
}
