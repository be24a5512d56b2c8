package dev.hsipipeline.local.sfn.asl.internal;

import java.util.Map;

/**
 * A compiled state machine: the top level, a Parallel branch or a Map ItemProcessor.
 *
 * @param timeoutSeconds the top level's TimeoutSeconds, 0 when none
 */
public record StateMachine(String startAt, Map<String, State> states, long timeoutSeconds) {
  State start() {
    return states.get(startAt);
  }
}
