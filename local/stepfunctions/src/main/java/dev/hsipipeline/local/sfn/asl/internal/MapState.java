package dev.hsipipeline.local.sfn.asl.internal;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Map (inline): runs the ItemProcessor once per item of ItemsPath, at most MaxConcurrency at a
 * time, each item shaped by ItemSelector (or the legacy Parameters) with {@code $$.Map.Item}.
 */
public final class MapState extends State {
  final StateMachine processor;
  final ReferencePath itemsPath;
  final PayloadTemplate itemSelector;
  final long maxConcurrency;
  final ReferencePath maxConcurrencyPath;
  final long toleratedFailureCount;
  final ReferencePath toleratedFailureCountPath;
  final double toleratedFailurePercentage;
  final ReferencePath toleratedFailurePercentagePath;
  final Handling handling;

  MapState(
      String name,
      String next,
      IoPath inputPath,
      IoPath outputPath,
      StateMachine processor,
      ReferencePath itemsPath,
      PayloadTemplate itemSelector,
      long maxConcurrency,
      ReferencePath maxConcurrencyPath,
      long toleratedFailureCount,
      ReferencePath toleratedFailureCountPath,
      double toleratedFailurePercentage,
      ReferencePath toleratedFailurePercentagePath,
      Handling handling) {
    super(name, next, inputPath, outputPath);
    this.processor = processor;
    this.itemsPath = itemsPath;
    this.itemSelector = itemSelector;
    this.maxConcurrency = maxConcurrency;
    this.maxConcurrencyPath = maxConcurrencyPath;
    this.toleratedFailureCount = toleratedFailureCount;
    this.toleratedFailureCountPath = toleratedFailureCountPath;
    this.toleratedFailurePercentage = toleratedFailurePercentage;
    this.toleratedFailurePercentagePath = toleratedFailurePercentagePath;
    this.handling = handling;
  }

  @Override
  String type() {
    return "Map";
  }

  @Override
  Step execute(Engine engine, Frame frame, JsonNode input)
      throws StateFailure, InterruptedException, ExecutionTimedOut {
    return engine.runHandled(
        this,
        handling,
        frame,
        input,
        (effective, attempt) -> engine.runMap(frame, this, effective));
  }
}
