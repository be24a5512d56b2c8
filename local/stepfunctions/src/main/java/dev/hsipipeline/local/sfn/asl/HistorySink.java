package dev.hsipipeline.local.sfn.asl;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Receives the execution's history events in order, as the interpreter produces them. {@code type}
 * is the AWS HistoryEventType (e.g. {@code TaskStateEntered}, {@code TaskSucceeded}, {@code
 * MapIterationStarted}); {@code details} is the event's details object exactly as
 * GetExecutionHistory shapes it (e.g. the content of {@code stateEnteredEventDetails}: {@code
 * {"name": ..., "input": ..., "inputDetails": ...}}). The sink assigns ids, previousEventId and
 * timestamps. It is called from the execution's threads (several at once inside Parallel/Map), so
 * implementations must be thread-safe.
 *
 * <p>{@code parentEventId} is the id-less link the interpreter can give: the sink returns the id it
 * assigned, which the interpreter passes back as {@code previousEventId} of events that follow from
 * it (for Parallel/Map branches where the previous event is not simply the last).
 */
public interface HistorySink {

  /** Records an event and returns the id assigned to it. */
  long record(String type, ObjectNode details, long previousEventId);

  /** A sink that drops everything (benchmarks, validation runs). */
  HistorySink NONE = (type, details, previous) -> 0L;
}
