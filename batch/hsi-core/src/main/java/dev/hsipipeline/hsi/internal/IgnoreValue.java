package dev.hsipipeline.hsi.internal;

import dev.hsipipeline.hsi.DataType;

/**
 * The header's {@code data ignore value} in the forms the kernels compare samples with.
 *
 * @param matches a value is set and is exactly a float: float samples equal to it are no-data
 * @param asFloat the value as a float (0 when {@code matches} is false)
 * @param asInt the value as an int, or {@link Integer#MIN_VALUE} (which no uint8/int16/uint16
 *     sample has) when it is not an integer of moderate size
 * @param inType integer data: the value is a possible sample value of the data type
 * @param raw its 16-bit sample pattern when {@code inType}
 */
record IgnoreValue(boolean matches, float asFloat, int asInt, boolean inType, short raw) {

  static IgnoreValue of(Double ignore, DataType type) {
    boolean matches =
        ignore != null && !ignore.isNaN() && (double) (float) ignore.doubleValue() == ignore;
    float asFloat = matches ? (float) ignore.doubleValue() : 0f;
    int asInt =
        matches && ignore == Math.rint(ignore) && Math.abs(ignore) < 1 << 30
            ? (int) ignore.doubleValue()
            : Integer.MIN_VALUE;
    boolean inType =
        switch (type) {
          case UINT8 -> asInt >= 0 && asInt <= 0xFF;
          case INT16 -> asInt >= Short.MIN_VALUE && asInt <= Short.MAX_VALUE;
          case UINT16 -> asInt >= 0 && asInt <= 0xFFFF;
          case FLOAT32 -> false;
        };
    return new IgnoreValue(matches, asFloat, asInt, inType, inType ? (short) asInt : 0);
  }
}
