package dev.hsipipeline.local.sfn.asl.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hsipipeline.local.sfn.asl.ResumePoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads back from a recorded history which iterations of a top-level Map state, or branches of a
 * Parallel state, succeeded in its latest attempt, and their outputs: a redrive runs only the
 * others (AWS: RedriveExecution "reschedules and redrives only the iterations and branches that
 * failed or aborted").
 *
 * <p>Every event belongs to the frame that emitted it: the top level, a Parallel branch or a Map
 * iteration. The interpreter links a frame's events by previousEventId; a child frame's first event
 * follows its parent's {@code ParallelStateStarted}/{@code MapStateStarted}, and the parent's
 * fan-in event ({@code *StateSucceeded}/{@code *StateFailed}) follows the child event that ended
 * last. Execution-level events belong to the top level. A redriven run starts with {@code
 * ExecutionRedriven} and enters the state again; its first attempt keeps the results of the
 * attempts before it, every other attempt (a fresh entry, a Retry) starts from none.
 *
 * <p>When the history cannot be attributed with certainty (no event ids, two branches starting with
 * the same state name), nothing is kept and the whole state runs again.
 */
public final class ChildResults {
  private static final Set<String> EXECUTION_EVENTS =
      Set.of(
          "ExecutionStarted",
          "ExecutionRedriven",
          "ExecutionSucceeded",
          "ExecutionFailed",
          "ExecutionAborted",
          "ExecutionTimedOut");
  private static final Set<String> FAN_IN =
      Set.of(
          "ParallelStateSucceeded", "ParallelStateFailed", "MapStateSucceeded", "MapStateFailed");

  /** One frame's events as far as they matter here. */
  private static final class Frame {
    final int parent;
    final ResumePoint.Event root;
    ResumePoint.Event last;
    ResumePoint.Event iterationSucceeded;

    Frame(int parent, ResumePoint.Event root) {
      this.parent = parent;
      this.root = root;
    }
  }

  private final List<ResumePoint.Event> events = new ArrayList<>();
  private final Map<Long, ResumePoint.Event> byId = new HashMap<>();
  private final Map<Long, Integer> frameOf = new HashMap<>();
  private final List<Frame> frames = new ArrayList<>();
  private final Map<Long, List<Frame>> childrenOf = new HashMap<>();

  private ChildResults() {
    frames.add(new Frame(0, null));
  }

  /**
   * The outputs of the children (Map iteration index or Parallel branch index) of top-level state
   * {@code stateName} that a redrive keeps; empty when it is no Map or Parallel state or nothing
   * can be kept.
   */
  public static Map<Integer, JsonNode> find(
      StateMachine machine, String stateName, List<ResumePoint.Event> history) {
    State state = machine.states().get(stateName);
    if (!(state instanceof MapState) && !(state instanceof ParallelState)) {
      return Map.of();
    }
    ChildResults r = new ChildResults();
    for (ResumePoint.Event e : history) {
      if (e.id() <= 0 || e.previousEventId() >= e.id()) {
        return Map.of(); // ids unknown or out of order: nothing can be attributed
      }
      r.add(e);
    }
    Map<Integer, JsonNode> kept = r.replay(state);
    return kept == null ? Map.of() : Map.copyOf(kept);
  }

  private void add(ResumePoint.Event e) {
    events.add(e);
    byId.put(e.id(), e);
    int f = frameFor(e);
    frameOf.put(e.id(), f);
    Frame frame = frames.get(f);
    frame.last = e;
    if (e.type().equals("MapIterationSucceeded")) {
      frame.iterationSucceeded = e;
    }
  }

  private int frameFor(ResumePoint.Event e) {
    if (EXECUTION_EVENTS.contains(e.type())) {
      return 0;
    }
    Integer pf = frameOf.get(e.previousEventId());
    if (pf == null) {
      return 0;
    }
    boolean afterFanOut = isFanOut(byId.get(e.previousEventId()));
    if (FAN_IN.contains(e.type())) {
      return afterFanOut ? pf : frames.get(pf).parent;
    }
    if (afterFanOut) {
      frames.add(new Frame(pf, e));
      childrenOf.computeIfAbsent(e.previousEventId(), k -> new ArrayList<>()).add(frames.getLast());
      return frames.size() - 1;
    }
    return pf;
  }

  private static boolean isFanOut(ResumePoint.Event e) {
    return e.type().equals("MapStateStarted") || e.type().equals("ParallelStateStarted");
  }

  /** Follows the top level's entries and attempts of {@code state}; null when ambiguous. */
  private Map<Integer, JsonNode> replay(State state) {
    String startType = state instanceof MapState ? "MapStateStarted" : "ParallelStateStarted";
    Map<Integer, JsonNode> kept = new TreeMap<>();
    boolean inside = false;
    boolean keepForNextAttempt = false;
    for (ResumePoint.Event e : events) {
      if (frameOf.get(e.id()) != 0) {
        continue;
      }
      String name = e.details() == null ? null : e.details().path("name").asText(null);
      if (e.type().endsWith("StateEntered")) {
        inside = state.name.equals(name);
        ResumePoint.Event previous = byId.get(e.previousEventId());
        keepForNextAttempt =
            inside && previous != null && previous.type().equals(ResumePoint.REDRIVEN_EVENT);
        if (inside && !keepForNextAttempt) {
          kept.clear();
        }
      } else if (e.type().endsWith("StateExited") && state.name.equals(name)) {
        inside = false;
        kept.clear();
      } else if (inside && e.type().equals(startType)) {
        if (!keepForNextAttempt) {
          kept.clear();
        }
        keepForNextAttempt = false;
        if (!overlay(state, e.id(), kept)) {
          return null;
        }
      }
    }
    return kept;
  }

  /** Applies one attempt's children to {@code kept}; false when a child cannot be attributed. */
  private boolean overlay(State state, long attemptId, Map<Integer, JsonNode> kept) {
    for (Frame child : childrenOf.getOrDefault(attemptId, List.of())) {
      int index =
          state instanceof MapState
              ? iterationIndex(state, child)
              : branchIndex((ParallelState) state, child);
      if (index < 0) {
        return false;
      }
      JsonNode output =
          state instanceof MapState
              ? iterationOutput(child)
              : branchOutput(((ParallelState) state).branches.get(index), child);
      if (output != null) {
        kept.put(index, output);
      } else {
        kept.remove(index);
      }
    }
    return true;
  }

  private static int iterationIndex(State map, Frame child) {
    JsonNode d = child.root.details();
    if (!child.root.type().equals("MapIterationStarted")
        || d == null
        || !map.name.equals(d.path("name").asText(null))
        || !d.path("index").canConvertToInt()) {
      return -1;
    }
    return d.path("index").intValue();
  }

  /**
   * The output the iteration ended with (its last state's exit), or null when it did not succeed.
   */
  private JsonNode iterationOutput(Frame child) {
    if (child.iterationSucceeded == null) {
      return null;
    }
    ResumePoint.Event exited = byId.get(child.iterationSucceeded.previousEventId());
    if (exited == null
        || frames.get(frameOf.get(exited.id())) != child
        || !exited.type().endsWith("StateExited")) {
      return null;
    }
    return output(exited);
  }

  /** The branch whose StartAt the child entered first; -1 when none or more than one. */
  private static int branchIndex(ParallelState parallel, Frame child) {
    if (!child.root.type().endsWith("StateEntered") || child.root.details() == null) {
      return -1;
    }
    String first = child.root.details().path("name").asText(null);
    int found = -1;
    for (int i = 0; i < parallel.branches.size(); i++) {
      if (parallel.branches.get(i).startAt().equals(first)) {
        if (found >= 0) {
          return -1;
        }
        found = i;
      }
    }
    return found;
  }

  /** The branch's output when its last event is the exit of a state that ends the branch. */
  private static JsonNode branchOutput(StateMachine branch, Frame child) {
    ResumePoint.Event last = child.last;
    if (!last.type().endsWith("StateExited") || last.details() == null) {
      return null;
    }
    State s = branch.states().get(last.details().path("name").asText(""));
    boolean ends =
        s instanceof SucceedState
            || (s != null
                && s.next == null
                && !(s instanceof ChoiceState)
                && !(s instanceof FailState));
    return ends ? output(last) : null;
  }

  private static JsonNode output(ResumePoint.Event exited) {
    JsonNode text = exited.details() == null ? null : exited.details().get("output");
    if (text == null || !text.isTextual()) {
      return null;
    }
    try {
      return Json.MAPPER.readTree(text.textValue());
    } catch (JsonProcessingException e) {
      return null;
    }
  }
}
