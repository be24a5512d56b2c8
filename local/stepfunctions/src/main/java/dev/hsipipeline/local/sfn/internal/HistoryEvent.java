package dev.hsipipeline.local.sfn.internal;

/**
 * One stored history event. {@code detailsJson} is the already-serialized details object (or null
 * for event types that carry none), so reads never re-serialize and writes serialize once.
 */
record HistoryEvent(
    int id, int previousEventId, long timestampMillis, String type, String detailsJson) {}
