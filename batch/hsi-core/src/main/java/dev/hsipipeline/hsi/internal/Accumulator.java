package dev.hsipipeline.hsi.internal;

import java.io.IOException;

/**
 * One product's share of the streaming work. {@link #compute} turns a block into the product's
 * partial results for each (band, line) of the block, on any worker thread and without touching
 * shared state; {@link #fold} adds those partials to the product, on one thread, strictly in line
 * order. Because a partial always covers exactly one band of one line and the fold order is fixed,
 * the product is bit-identical whatever the block size, thread count or interleave.
 *
 * @param <P> the partial results of one block
 */
interface Accumulator<P> {
  /** The partials of one block (thread-safe: reads only the block and immutable settings). */
  P compute(BlockDecoder block);

  /** Adds one block's partials; called in line order, from one thread. */
  void fold(P part) throws IOException;
}
