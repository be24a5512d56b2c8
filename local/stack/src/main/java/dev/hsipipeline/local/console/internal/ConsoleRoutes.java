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

  private ConsoleRoutes() {}

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
