package dev.hsipipeline.local.console.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpHandler;
import java.util.function.BiConsumer;

/** Wires the console's handlers onto a server that offers path-prefix contexts. */
public final class ConsoleRoutes {

  /** Where the page lives; the Step Functions server redirects {@code GET /} here. */
  public static final String PAGE_PREFIX = "/console/";

  /** Where the console's own JSON API lives (a longer prefix wins in the JDK's HttpServer). */
  public static final String API_PREFIX = "/console/api/";

  /** The catalog part of the API (a longer prefix than {@link #API_PREFIX}, so it wins). */
  public static final String CATALOG_PREFIX = "/console/api/catalog/";

  private ConsoleRoutes() {}

  /**
   * Registers the <em>Products</em> view's API: the STAC catalog in {@code bucket}.
   *
   * @param s3 a client for the local S3 (path-style), owned by the caller
   */
  public static void installCatalog(
      BiConsumer<String, HttpHandler> addContext,
      software.amazon.awssdk.services.s3.S3Client s3,
      String bucket) {
    addContext.accept(
        CATALOG_PREFIX, new CatalogApi(CATALOG_PREFIX, s3, bucket, new ObjectMapper()));
  }

  /**
   * Registers the page and the API.
   *
   * @param addContext adds a handler for a path prefix (e.g. {@code
   *     StepFunctionsLocal::addHttpContext} or {@code HttpServer::createContext})
   */
  public static void install(BiConsumer<String, HttpHandler> addContext, ConsoleConfig config) {
    ObjectMapper json = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    addContext.accept(
        PAGE_PREFIX, new StaticFiles(PAGE_PREFIX, "console", ConsoleRoutes.class.getClassLoader()));
    addContext.accept(
        API_PREFIX,
        new ConsoleApi(
            API_PREFIX,
            new QueueService(config.sqs(), config.queues()),
            new JobRecords(config.dataDir(), json),
            json));
  }
}
