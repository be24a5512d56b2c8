package dev.hsipipeline.hsi;

import java.util.Arrays;
import java.util.stream.Collectors;

/** ENVI {@code data type} codes supported by the pipeline. */
public enum DataType {
  /** ENVI code 1: unsigned 8-bit integer. */
  UINT8(1, 1, "uint8", true),
  /** ENVI code 2: signed 16-bit integer (the usual AVIRIS reflectance × 10000). */
  INT16(2, 2, "int16", true),
  /** ENVI code 4: IEEE 754 32-bit float. */
  FLOAT32(4, 4, "float32", false),
  /** ENVI code 12: unsigned 16-bit integer. */
  UINT16(12, 2, "uint16", true);

  private final int code;
  private final int bytes;
  private final String label;
  private final boolean integer;

  DataType(int code, int bytes, String label, boolean integer) {
    this.code = code;
    this.bytes = bytes;
    this.label = label;
    this.integer = integer;
  }

  /** The ENVI header code. */
  public int code() {
    return code;
  }

  /** Bytes per sample. */
  public int bytes() {
    return bytes;
  }

  /** Short lowercase name, e.g. {@code int16}. */
  public String label() {
    return label;
  }

  /** True for the integer types (exact integer statistics apply). */
  public boolean isInteger() {
    return integer;
  }

  /** The data type with this ENVI code, or {@code null}. */
  public static DataType fromCode(int code) {
    for (DataType t : values()) {
      if (t.code == code) return t;
    }
    return null;
  }

  /** Human readable list of the supported codes, for error messages. */
  public static String supportedList() {
    return Arrays.stream(values())
        .map(t -> t.code + " (" + t.label + ")")
        .collect(Collectors.joining(", "));
  }
}
