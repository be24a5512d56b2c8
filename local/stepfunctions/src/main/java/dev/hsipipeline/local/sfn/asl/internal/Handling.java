package dev.hsipipeline.local.sfn.asl.internal;

import java.util.List;

/**
 * The fields Task, Parallel and Map share around their work: Parameters (Task/Parallel only; Map
 * applies its template per item), ResultSelector, ResultPath, Retry and Catch.
 */
public record Handling(
    PayloadTemplate parameters,
    PayloadTemplate resultSelector,
    ResultPathField resultPath,
    List<Retrier> retriers,
    List<Catcher> catchers) {}
