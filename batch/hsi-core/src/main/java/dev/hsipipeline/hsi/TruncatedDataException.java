package dev.hsipipeline.hsi;

import java.io.IOException;

/** The data object ended before the header's geometry said it would. */
public final class TruncatedDataException extends IOException {
  private final long expectedBytes;
  private final long actualBytes;

  /**
   * @param expectedBytes bytes the header requires, @param actualBytes bytes the object delivered
   */
  public TruncatedDataException(String what, long expectedBytes, long actualBytes) {
    super(
        "truncated data: "
            + what
            + " ended after "
            + actualBytes
            + " bytes, expected "
            + expectedBytes
            + " bytes");
    this.expectedBytes = expectedBytes;
    this.actualBytes = actualBytes;
  }

  /** Bytes the header requires. */
  public long expectedBytes() {
    return expectedBytes;
  }

  /** Bytes actually available. */
  public long actualBytes() {
    return actualBytes;
  }
}
