package dev.hsipipeline.local.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.hsipipeline.hsi.geo.Crs;
import dev.hsipipeline.hsi.geo.GeoTransform;
import dev.hsipipeline.hsi.geo.Georeferencing;
import dev.hsipipeline.local.aws.LocalS3;
import dev.hsipipeline.local.console.internal.ConsoleConfig;
import dev.hsipipeline.local.console.internal.ConsoleRoutes;
import dev.hsipipeline.stac.AcquisitionTime;
import dev.hsipipeline.stac.Asset;
import dev.hsipipeline.stac.CatalogLayout;
import dev.hsipipeline.stac.CatalogWriter;
import dev.hsipipeline.stac.EoBand;
import dev.hsipipeline.stac.ItemBuilder;
import dev.hsipipeline.stac.ItemGeometry;
import dev.hsipipeline.stac.Projection;
import dev.hsipipeline.stac.RasterBand;
import dev.hsipipeline.stac.Stac;
import dev.hsipipeline.stac.StacCollection;
import dev.hsipipeline.stac.StacValidator;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The console's <em>Products</em> view in headless Chromium over a real local S3 holding a catalog
 * published with the jobs' STAC library: cards with the quicklook (served through the console), the
 * footprint on a lat/lon grid, bands, asset links and the producing execution; filtering by
 * collection and by execution; item text rendered as text. {@code -Dproducts.screenshot=<png>}
 * saves the products page.
 */
@Tag("browser")
class ProductsBrowserTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String EXEC_1 =
      "arn:aws:states:us-east-1:000000000000:execution:hsi-pipeline:exec-one";
  private static final String EXEC_2 =
      "arn:aws:states:us-east-1:000000000000:execution:hsi-pipeline:exec-two";
  private static final String HTML_TITLE = "<img src=x onerror=\"window.__xss=1\">scene";

  private static LocalS3 server;
  private static S3Client s3;
  private static HttpServer http;
  private static WebDriver browser;
  private static String base;

  @BeforeAll
  static void start(@TempDir Path tmp) throws Exception {
    String chromium = firstExisting("/usr/bin/chromium", "/usr/bin/chromium-browser");
    String driver = firstExisting("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
    chromium = System.getProperty("chromium.binary", chromium);
    driver = System.getProperty("chromedriver.path", driver);
    Assumptions.assumeTrue(
        chromium != null && driver != null,
        "Browser tests skipped: no Chromium + ChromeDriver (install Debian's 'chromium' and"
            + " 'chromium-driver', or set -Dchromium.binary and -Dchromedriver.path)");

    server = LocalS3.start(new LocalS3.Config("127.0.0.1", 0, tmp.resolve("s3")));
    server.createBucket("hsi-data");
    s3 =
        S3Client.builder()
            .endpointOverride(server.endpoint())
            .forcePathStyle(true)
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("t", "t")))
            .httpClient(UrlConnectionHttpClient.create())
            .build();
    publishCatalog();

    // The products page needs no SQS: the client points nowhere and is never called.
    SqsClient unusedSqs =
        SqsClient.builder()
            .endpointOverride(URI.create("http://127.0.0.1:9"))
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("t", "t")))
            .httpClient(UrlConnectionHttpClient.create())
            .build();
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    ConsoleRoutes.install(http::createContext, new ConsoleConfig(unusedSqs, List.of(), tmp));
    ConsoleRoutes.installCatalog(http::createContext, s3, "hsi-data");
    http.start();
    base = "http://127.0.0.1:" + http.getAddress().getPort() + "/console/";

    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--no-first-run",
        "--window-size=1300,1000",
        "--user-data-dir=" + Files.createDirectories(tmp.resolve("chrome-profile")));
    System.setProperty("webdriver.chrome.driver", driver);
    browser =
        new ChromeDriver(
            new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(driver))
                .usingAnyFreePort()
                .build(),
            options);
  }

  @AfterAll
  static void stop() {
    if (browser != null) browser.quit();
    if (http != null) http.stop(0);
    if (s3 != null) s3.close();
    if (server != null) server.close();
  }

  /** Two products of two executions, a georeferenced scene and one that is not. */
  private static void publishCatalog() throws Exception {
    CatalogLayout layout = new CatalogLayout("hsi-data", null);
    CatalogWriter writer = new CatalogWriter(s3, JSON, layout, new StacValidator());
    Georeferencing utm =
        new Georeferencing(
            new Crs(32611, "PROJCS[\"WGS 84 / UTM zone 11N\"]"),
            new GeoTransform(750000, 15, 0, 4340000, 0, -15));
    // The second product is on a CRS without an EPSG code: its item carries proj:wkt2.
    Georeferencing albers =
        new Georeferencing(
            Crs.ofWkt(
                "PROJCS[\"unknown\",GEOGCS[\"GCS_unknown\",DATUM[\"D_WGS_1984\",SPHEROID["
                    + "\"WGS_1984\",6378137.0,298.257223563]],PRIMEM[\"Greenwich\",0.0],"
                    + "UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Albers\"],"
                    + "PARAMETER[\"False_Easting\",0.0],PARAMETER[\"False_Northing\",0.0],"
                    + "PARAMETER[\"Central_Meridian\",-96.0],PARAMETER[\"Standard_Parallel_1\",29.5],"
                    + "PARAMETER[\"Standard_Parallel_2\",45.5],PARAMETER[\"Latitude_Of_Origin\",23.0],"
                    + "UNIT[\"Meter\",1.0]]"),
            new GeoTransform(-2000000, 15, 0, 2000000, 0, -15));
    List<double[]> corners =
        List.of(
            new double[] {-120.0880, 39.1709},
            new double[] {-119.9990, 39.1680},
            new double[] {-120.0027, 39.1033},
            new double[] {-120.0915, 39.1061});
    String png = "products/scene-a/stats.ndi-860-650/quicklook.png";
    s3.putObject(
        b -> b.bucket("hsi-data").key(png).contentType("image/png"),
        RequestBody.fromBytes(png(64, 60)));
    for (String[] p : new String[][] {{"stats.ndi-860-650", EXEC_1}, {"ndi-800-600", EXEC_2}}) {
      String tif = "products/scene-a/" + p[0] + "/ndi.tif";
      s3.putObject(b -> b.bucket("hsi-data").key(tif), RequestBody.fromString("tiff"));
      ItemBuilder ib =
          new ItemBuilder(JSON, layout, StacCollection.PRODUCTS, "scene-a." + p[0])
              .time(AcquisitionTime.resolve("2021-06-15T18:15:01Z", null, null))
              .geometry(ItemGeometry.ofCorners(corners))
              .projection(Projection.of(p[1].equals(EXEC_1) ? utm : albers, 512, 480))
              .linkToItem("derived_from", StacCollection.SCENES, "scene-a", "scene")
              .property("hsi:execution_arn", JSON.getNodeFactory().textNode(p[1]))
              .asset(
                  Asset.of("ndi", layout.uri(tif), Stac.COG, "NDI", "data")
                      .withFile(4, null)
                      .withRasterBands(
                          List.of(
                              new RasterBand(
                                  "float32",
                                  Double.NaN,
                                  "1",
                                  15,
                                  new RasterBand.Statistics(-0.25, 0.875, 0.3125, 0.1, 96)))));
      if (p[1].equals(EXEC_1))
        ib.asset(
            Asset.of("thumbnail", layout.uri(png), "image/png", "quicklook", "thumbnail")
                .withShape(60, 64));
      writer.publish(ib.build());
    }
    String raw = "scenes/plain.img";
    s3.putObject(b -> b.bucket("hsi-data").key(raw), RequestBody.fromString("cube"));
    ObjectNode plain =
        new ItemBuilder(JSON, layout, StacCollection.SCENES, "plain-1")
            .title(HTML_TITLE, null)
            .time(AcquisitionTime.resolve(null, "plain.img", Instant.parse("2026-11-30T10:00:00Z")))
            .asset(
                Asset.of("data", layout.uri(raw), "application/octet-stream", "ENVI cube", "data")
                    .withEoBands(
                        List.of(
                            EoBand.fromNanometres("B1", 450, 10),
                            EoBand.fromNanometres("B2", 550, 10),
                            EoBand.fromNanometres("B3", 650, 10))))
            .build();
    writer.publish(plain);
  }

  @Test
  void productCardsShowQuicklookFootprintBandsAssetsAndTheProducingExecution() {
    browser.get(base + "#/products");
    waitFor(d -> cards().size() == 2, "two product cards");
    WebElement card = card("scene-a.stats.ndi-860-650");
    WebElement img = card.findElement(By.cssSelector("img.thumb"));
    waitFor(
        d -> (Boolean) js("return arguments[0].complete && arguments[0].naturalWidth === 64", img),
        "the quicklook to load");

    WebElement svg = card.findElement(By.cssSelector("svg.footprint"));
    String points =
        svg.findElement(By.cssSelector("polygon.footprint-shape")).getDomAttribute("points");
    assertEquals(5, points.trim().split(" ").length, "closed ring of four corners: " + points);
    assertTrue(svg.findElements(By.cssSelector("line.grid")).size() >= 4, "a lat/lon grid");
    assertTrue(
        svg.findElements(By.cssSelector("text.grid-label")).stream()
            .anyMatch(t -> t.getText().startsWith("-120")),
        "longitude labels");
    assertTrue(svg.getDomAttribute("aria-label").contains("39.1709"));

    assertTrue(card.getText().contains("EPSG:32611"), card.getText());
    WebElement custom = card("scene-a.ndi-800-600").findElement(By.cssSelector(".crs-wkt2"));
    assertEquals("custom: Albers Equal Area", custom.getText());
    assertTrue(custom.getDomAttribute("title").startsWith("PROJCRS["), "the WKT2 as tooltip");
    assertTrue(card.getText().contains("512 × 480 px"));
    assertTrue(
        card.findElement(By.cssSelector(".bands"))
            .getText()
            .contains("1 × float32 · min -0.25, max 0.875, mean 0.3125"));
    WebElement exec = card.findElement(By.cssSelector("a.execution-link"));
    assertEquals(
        "#/execution/" + URLEncoder.encode(EXEC_1, StandardCharsets.UTF_8).replace("+", "%20"),
        exec.getDomAttribute("href"));
    assertEquals("exec-one", exec.getText());

    // asset links go through the console and return the object
    WebElement ndi = card.findElement(By.cssSelector("a.asset-link[data-asset='ndi']"));
    Object fetched =
        ((JavascriptExecutor) browser)
            .executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                    + "fetch(arguments[0]).then(r => r.text().then(t => done(r.status + ':' + t)));",
                ndi.getDomAttribute("href"));
    assertEquals("200:tiff", fetched);
    // the other product has no quicklook and says so
    assertTrue(card("scene-a.ndi-800-600").getText().contains("no quicklook"));
    String shot = System.getProperty("products.screenshot");
    if (shot != null) {
      try {
        Files.write(
            Path.of(shot),
            ((org.openqa.selenium.TakesScreenshot) browser)
                .getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  @Test
  void scenesTabShowsANotGeoreferencedSceneWithoutInventedFootprintAndItemTextAsText() {
    browser.get(base + "#/products");
    waitFor(d -> cards().size() == 2, "the product cards");
    browser.findElement(By.cssSelector("nav.tabs a[data-collection='hsi-scenes']")).click();
    waitFor(
        d -> !cards().isEmpty() && cards().get(0).getDomAttribute("data-item-id").equals("plain-1"),
        "the scene card");
    WebElement card = card("plain-1");
    assertEquals(
        "false",
        card.findElement(By.cssSelector(".footprint.placeholder"))
            .getDomAttribute("data-georeferenced"));
    assertTrue(card.findElements(By.cssSelector("svg.footprint")).isEmpty());
    assertTrue(card.getText().contains("not georeferenced"));
    assertTrue(card.getText().contains("(upload-time)"), "the datetime says it is the upload time");
    assertTrue(
        card.findElement(By.cssSelector(".bands"))
            .getText()
            .startsWith("3 bands · 0.45–0.65 µm (B1, B2, B3)"));
    assertTrue(card.getText().contains(HTML_TITLE), "the title is shown as text");
    assertNull(js("return window.__xss"), "item text never runs as HTML");
  }

  @Test
  void anExecutionsProductsAreFilteredByItsArn() {
    browser.get(
        base
            + "#/products?collection=&execution="
            + URLEncoder.encode(EXEC_2, StandardCharsets.UTF_8));
    waitFor(d -> !d.findElements(By.id("execution-filter")).isEmpty(), "the execution filter");
    waitFor(d -> cards().size() == 1, "one card");
    assertEquals("scene-a.ndi-800-600", cards().get(0).getDomAttribute("data-item-id"));
    browser.findElement(By.id("clear-execution")).click();
    waitFor(d -> cards().size() == 3, "all three items of all collections");
  }

  private static List<WebElement> cards() {
    return browser.findElements(By.cssSelector("article.product-card"));
  }

  private static WebElement card(String id) {
    return browser.findElement(By.cssSelector("article.product-card[data-item-id='" + id + "']"));
  }

  private static Object js(String script, Object... args) {
    return ((JavascriptExecutor) browser).executeScript(script, args);
  }

  private static void waitFor(Function<WebDriver, Boolean> condition, String what) {
    new WebDriverWait(browser, WAIT)
        .withMessage("waiting for " + what)
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(condition::apply);
  }

  private static byte[] png(int w, int h) throws Exception {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++)
      for (int x = 0; x < w; x++) img.setRGB(x, y, (x * 4) << 16 | (y * 4) << 8 | 90);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  private static String firstExisting(String... paths) {
    for (String p : paths) if (Files.isExecutable(Path.of(p))) return p;
    return null;
  }
}
