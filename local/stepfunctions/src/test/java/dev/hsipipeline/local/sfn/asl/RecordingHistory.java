package dev.hsipipeline.local.sfn.asl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A thread-safe in-memory HistorySink numbering events like GetExecutionHistory (1 =
 * ExecutionStarted).
 */
final class RecordingHistory implements HistorySink {
  record Event(long id, long previousEventId, String type, ObjectNode details) {}

  private final List<Event> events = new ArrayList<>();

  RecordingHistory() {
    events.add(new Event(1, 0, "ExecutionStarted", null));
  }

  @Override
  public synchronized long record(String type, ObjectNode details, long previousEventId) {
    long id = events.size() + 1;
    events.add(new Event(id, previousEventId, type, details));
    return id;
  }

  synchronized List<Event> events() {
    return List.copyOf(events);
  }

  synchronized List<String> types() {
    return events.stream().map(Event::type).toList();
  }

  synchronized List<Event> ofType(String type) {
    return events.stream().filter(e -> e.type().equals(type)).toList();
  }
}
