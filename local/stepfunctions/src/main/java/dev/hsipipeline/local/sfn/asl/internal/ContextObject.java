package dev.hsipipeline.local.sfn.asl.internal;

import com.fasterxml.jackson.databind.JsonNode;

/** Supplies the context object ({@code $$}); built only when a path actually reads it. */
@FunctionalInterface
public interface ContextObject {
  JsonNode node();

  ContextObject EMPTY = Json::object;
}
