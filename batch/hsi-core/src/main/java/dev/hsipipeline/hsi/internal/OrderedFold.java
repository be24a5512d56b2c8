package dev.hsipipeline.hsi.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Streams a producer's blocks through {@link Work#compute} and folds the results strictly in block
 * order on the calling thread. With one thread everything runs on the caller (the reference path);
 * with more, a reader thread fills at most {@code 2 × threads} pooled buffers, workers compute, and
 * an ordered queue of futures keeps the fold in line order.
 */
final class OrderedFold {
  private static final Object END = new Object();

  private OrderedFold() {}

  /** What is done with each block. */
  interface Work<R> {
    /** Any worker thread; must not touch state shared with other blocks. */
    R compute(Block block);

    /** The calling thread, in block order. */
    void fold(R result) throws IOException;
  }

  /** Runs every block of {@code producer} through {@code work}, then closes the producer. */
  static <R> void run(BlockProducer producer, int threads, Work<R> work) throws IOException {
    try (producer) {
      if (threads <= 1) {
        byte[] buf = new byte[producer.maxBytes()];
        Block b;
        while ((b = producer.next(buf)) != null) work.fold(work.compute(b));
      } else {
        runParallel(producer, threads, work);
      }
    }
  }

  private static <R> void runParallel(BlockProducer producer, int threads, Work<R> work)
      throws IOException {
    AtomicInteger ids = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "hsi-worker-" + ids.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    // Bounded memory: at most 2 × threads blocks exist; the ordered queue preserves line order.
    BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(2 * threads);
    for (int i = 0; i < 2 * threads; i++) free.add(new byte[producer.maxBytes()]);
    BlockingQueue<Object> ordered = new ArrayBlockingQueue<>(2 * threads + 1);
    Thread reader =
        new Thread(
            () -> {
              try {
                while (true) {
                  byte[] buf = free.take();
                  Block b = producer.next(buf);
                  if (b == null) {
                    ordered.put(END);
                    return;
                  }
                  ordered.put(
                      pool.submit(
                          () -> {
                            try {
                              return work.compute(b);
                            } finally {
                              free.add(buf);
                            }
                          }));
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (Throwable t) {
                ordered.offer(t);
              }
            },
            "hsi-reader");
    reader.setDaemon(true);
    reader.start();
    try {
      while (true) {
        Object item = ordered.take();
        if (item == END) break;
        if (item instanceof Throwable t) throw rethrow(t);
        @SuppressWarnings("unchecked") // the reader puts only END, a Throwable or these
        Future<R> f = (Future<R>) item;
        try {
          work.fold(f.get());
        } catch (ExecutionException e) {
          throw rethrow(e.getCause());
        }
      }
      reader.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while processing the cube", e);
    } finally {
      reader.interrupt();
      pool.shutdownNow();
    }
  }

  /** An I/O failure as such; runtime exceptions and errors are thrown as they are. */
  static IOException rethrow(Throwable t) {
    if (t instanceof IOException io) return io;
    if (t instanceof UncheckedIOException u) return u.getCause();
    if (t instanceof RuntimeException r) throw r;
    if (t instanceof Error e) throw e;
    return new IOException(t);
  }
}
