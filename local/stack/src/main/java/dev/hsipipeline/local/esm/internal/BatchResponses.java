package dev.hsipipeline.local.esm.internal;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Reads a handler's {@code SQSBatchResponse} (ReportBatchItemFailures) as Lambda does. */
public final class BatchResponses {
  private BatchResponses() {}

  /** Failed ids from an SQSBatchResponse (or a Map of the same shape); null = invalid response. */
  public static Set<String> failures(Object response, Set<String> batchIds)
      throws ReflectiveOperationException {
    if (response == null) {
      return Set.of();
    }
    Object list;
    if (response instanceof Map<?, ?> map) {
      list = map.get("batchItemFailures");
    } else {
      list = response.getClass().getMethod("getBatchItemFailures").invoke(response);
    }
    if (list == null) {
      return Set.of();
    }
    Set<String> failed = new LinkedHashSet<>();
    for (Object item : (Iterable<?>) list) {
      Object id =
          item instanceof Map<?, ?> m
              ? m.get("itemIdentifier")
              : item.getClass().getMethod("getItemIdentifier").invoke(item);
      if (!(id instanceof String s) || s.isEmpty() || !batchIds.contains(s)) {
        return null;
      }
      failed.add(s);
    }
    return failed;
  }
}
