package dev.hsipipeline.hsi.internal;

import java.io.IOException;
import java.util.List;

/**
 * The products computed from one stream of blocks: each block is decoded once for all of them, and
 * each product folds its own partials.
 */
final class Pass implements OrderedFold.Work<Object[]> {
  private final CubeFormat format;
  private final List<Accumulator<?>> products;

  Pass(CubeFormat format, List<Accumulator<?>> products) {
    this.format = format;
    this.products = List.copyOf(products);
  }

  @Override
  public Object[] compute(Block block) {
    BlockDecoder decoder = new BlockDecoder(block, format);
    Object[] parts = new Object[products.size()];
    for (int i = 0; i < parts.length; i++) parts[i] = products.get(i).compute(decoder);
    return parts;
  }

  @Override
  public void fold(Object[] parts) throws IOException {
    for (int i = 0; i < parts.length; i++) fold(products.get(i), parts[i]);
  }

  @SuppressWarnings("unchecked") // parts[i] came from products.get(i).compute
  private static <P> void fold(Accumulator<P> product, Object part) throws IOException {
    product.fold((P) part);
  }
}
