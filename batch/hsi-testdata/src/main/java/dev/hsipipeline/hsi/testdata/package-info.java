/**
 * Test data: {@link dev.hsipipeline.hsi.testdata.SyntheticScene}, deterministic AVIRIS-like ENVI
 * scenes placed on the Earth by a {@link dev.hsipipeline.hsi.testdata.Placement}. Used by tests,
 * {@code ./pipeline sample-scene} / {@code demo} and the benchmarks; never by a job jar.
 */
package dev.hsipipeline.hsi.testdata;
