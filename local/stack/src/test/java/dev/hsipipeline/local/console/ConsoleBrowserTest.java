package dev.hsipipeline.local.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hsipipeline.hsi.testdata.SyntheticScene;
import dev.hsipipeline.local.LocalStack;
import dev.hsipipeline.local.StackClients;
import dev.hsipipeline.local.StackSettings;
import java.io.File;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/**
 * The console in headless Chromium against the whole local stack: the real trigger, state machine,
 * Batch runner and jobs produce the executions the page shows.
 *
 * <p>Needs Debian's {@code chromium} and {@code chromium-driver} (or {@code -Dchromium.binary} /
 * {@code -Dchromedriver.path}); skipped with a message when they are missing. {@code
 * -Dconsole.screenshot=<png>} saves the execution view (docs/img/console-execution.png is made that
 * way).
 */
@Tag("browser")
class ConsoleBrowserTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration PIPELINE_WAIT = Duration.ofSeconds(120);
  private static final Duration PAGE_WAIT = Duration.ofSeconds(30);

  /** An execution input that would run script if the page ever used innerHTML with data. */
  private static final String HTML_EVENT =
      "<img src=x onerror=\"window.__xss=1\"><b id=\"xss-bold\">bold?</b><script>window.__xss=2</script>";

  private static LocalStack stack;
  private static SfnClient sfn;
  private static S3Client s3;
  private static WebDriver browser;
  private static String consoleUrl;

  private static String goodExecution;
  private static String processorExecution;
  private static String failedExecution;
  private static String htmlExecution;

  @BeforeAll
  static void startStackAndBrowser(@TempDir Path tmp) throws Exception {
    String chromium =
        System.getProperty(
            "chromium.binary", firstExisting("/usr/bin/chromium", "/usr/bin/chromium-browser"));
    String driverPath =
        System.getProperty(
            "chromedriver.path",
            firstExisting("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"));
    Assumptions.assumeTrue(
        chromium != null
            && Files.isExecutable(Path.of(chromium))
            && driverPath != null
            && Files.isExecutable(Path.of(driverPath)),
        "Browser tests skipped: no Chromium + ChromeDriver (install Debian's 'chromium' and 'chromium-driver',"
            + " or set -Dchromium.binary and -Dchromedriver.path)");

    Path repo = StackSettings.findRepoRoot();
    StackSettings settings =
        StackSettings.defaults(repo).withEphemeralPorts().withDataDir(tmp.resolve("data"));
    String trigger = System.getProperty("console.triggerArtifact"); // e.g. a locally built variant
    if (trigger != null && !trigger.isBlank()) {
      StackSettings s = settings;
      settings =
          new StackSettings(
              s.repoRoot(),
              s.dataDir(),
              s.host(),
              s.sqsPort(),
              s.s3Port(),
              s.sfnPort(),
              s.region(),
              s.accountId(),
              s.dataBucket(),
              s.queuesJson(),
              s.stateMachineTemplate(),
              s.jobsDir(),
              Path.of(trigger),
              s.triggerHandler(),
              s.vcpuBudget(),
              s.batchSize(),
              s.batchingWindowMillis(),
              s.visibilityTimeoutSeconds(),
              s.receiveWaitSeconds(),
              s.policiesDir());
    }
    stack = LocalStack.start(settings);
    consoleUrl = stack.consoleUrl();
    sfn = StackClients.sfn(stack, LocalStack.credentials());
    s3 = StackClients.s3(stack, LocalStack.credentials());

    // The pipeline's own messages: a real scene through activator → processor, a scene that does
    // not exist (the activator job fails, Catch records it, JobFailed), and an unknown source
    // whose input carries HTML.
    var scene =
        SyntheticScene.of(SyntheticScene.Spec.defaults().withSize(24, 16, 12))
            .upload(s3, stack.settings().dataBucket(), "scenes/console-test/scene");
    String good =
        sendToActivator(JSON.createObjectNode().put("scene", scene.headerUri()).toString());
    String missing =
        sendToActivator(
            JSON.createObjectNode()
                .put(
                    "scene",
                    "s3://" + stack.settings().dataBucket() + "/scenes/missing/nothing.hdr")
                .toString());
    String htmlName = "console-html-input";
    var htmlInput =
        JSON.createObjectNode()
            .put("eventSourceARN", "arn:aws:sqs:us-east-1:000000000000:no-such-queue")
            .put("queueName", "no-such-queue")
            .put("messageId", htmlName);
    htmlInput.putObject("parameters").put("event", HTML_EVENT);
    htmlExecution =
        sfn.startExecution(
                b ->
                    b.stateMachineArn(stack.stateMachineArn())
                        .name(htmlName)
                        .input(htmlInput.toString()))
            .executionArn();

    goodExecution =
        awaitExecution(input -> good.equals(input.path("messageId").asText()), "SUCCEEDED");
    failedExecution =
        awaitExecution(input -> missing.equals(input.path("messageId").asText()), "FAILED");
    processorExecution =
        awaitExecution(input -> "processor-queue".equals(queueName(input)), "SUCCEEDED");
    awaitStatus(htmlExecution, "FAILED");

    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1400,1100",
        "--user-data-dir=" + Files.createDirectories(tmp.resolve("chrome-profile")));
    // Never let Selenium Manager look for (or download) a driver or browser.
    System.setProperty("webdriver.chrome.driver", driverPath);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(driverPath))
            .usingAnyFreePort()
            .build();
    browser = new ChromeDriver(service, options);
    browser.manage().timeouts().scriptTimeout(PAGE_WAIT);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (sfn != null) {
      sfn.close();
    }
    if (s3 != null) {
      s3.close();
    }
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void listsExecutionsNewestFirstWithStatusSourceQueueAndFilters() {
    browser.get(stack.sfnEndpoint().toString() + "/"); // GET / redirects to the console
    waitFor(d -> d.getCurrentUrl().contains("/console/"), "the redirect to /console/");
    waitFor(d -> rows().size() >= 4, "at least 4 execution rows");

    Map<String, WebElement> byArn = new LinkedHashMap<>();
    for (WebElement row : rows()) {
      byArn.put(row.getDomAttribute("data-arn"), row);
    }
    WebElement good = byArn.get(goodExecution);
    assertNotNull(good, "the activator execution is listed");
    assertEquals("Succeeded", good.findElement(By.cssSelector(".badge")).getText());
    assertEquals("activator-queue", good.findElement(By.cssSelector("td.queue")).getText());
    WebElement failed = byArn.get(failedExecution);
    assertEquals("Failed", failed.findElement(By.cssSelector(".badge")).getText());
    assertTrue(
        failed
            .findElement(By.cssSelector(".badge"))
            .getDomAttribute("class")
            .contains("status-failed"));
    assertEquals(
        "processor-queue",
        byArn.get(processorExecution).findElement(By.cssSelector("td.queue")).getText());

    // Newest first, exactly as ListExecutions orders them.
    List<String> expected =
        sfn
            .listExecutions(b -> b.stateMachineArn(stack.stateMachineArn()).maxResults(25))
            .executions()
            .stream()
            .sorted((a, b) -> b.startDate().compareTo(a.startDate()))
            .map(ExecutionListItem::executionArn)
            .toList();
    assertEquals(expected, new ArrayList<>(byArn.keySet()));

    new Select(browser.findElement(By.id("filter-status"))).selectByValue("FAILED");
    waitFor(
        d ->
            !rows().isEmpty()
                && rows().stream().allMatch(r -> "FAILED".equals(r.getDomAttribute("data-status"))),
        "only failed rows");
    assertTrue(arns().contains(failedExecution));
    assertFalse(arns().contains(goodExecution));

    new Select(browser.findElement(By.id("filter-status"))).selectByValue("");
    new Select(browser.findElement(By.id("filter-queue"))).selectByValue("processor-queue");
    waitFor(d -> arns().equals(List.of(processorExecution)), "only the processor execution");
    assertTrue(
        browser.getCurrentUrl().contains("queue=processor-queue"), "filters are kept in the URL");
  }

  @Test
  void highlightsThePathTheHistoryTookAndShowsTheBatchJobLog() throws Exception {
    openExecution(goodExecution);
    waitFor(
        d -> stateStatus("ActivatorState").equals("succeeded"),
        "ActivatorState succeeded in the graph");

    List<HistoryEvent> history =
        sfn.getExecutionHistory(b -> b.executionArn(goodExecution).maxResults(1000)).events();
    Set<String> entered =
        history.stream()
            .filter(e -> e.typeAsString().endsWith("StateEntered"))
            .map(e -> e.stateEnteredEventDetails().name())
            .collect(Collectors.toCollection(LinkedHashSet::new));
    assertEquals(
        entered, reachedStates(), "the highlighted states are exactly those the history entered");
    assertEquals("succeeded", stateStatus("RouteBySourceQueue"));
    assertEquals("not-reached", stateStatus("ProcessorState"));
    assertEquals("not-reached", stateStatus("FailureState"));
    assertEquals(
        Set.of(
            "__start__@root->RouteBySourceQueue",
            "RouteBySourceQueue->ActivatorState",
            "ActivatorState->ReadJobOutcome",
            "ReadJobOutcome->PublishOutcome",
            "PublishOutcome->__end__@root"),
        takenEdges());
    assertEquals("not-reached", stateStatus("OutcomeUnreadable"));

    // The execution output carries what the job reported (ADR 0166), shown as DescribeExecution
    // returns it.
    JsonNode output =
        JSON.readTree(sfn.describeExecution(b -> b.executionArn(goodExecution)).output());
    assertEquals("done", output.path("outcome").path("status").asText(), output.toString());
    String shownOutput =
        browser.findElement(By.cssSelector("pre.execution-output")).getDomProperty("textContent");
    assertEquals(output, JSON.readTree(shownOutput), "the execution output panel");

    click("ActivatorState");
    WebElement panel = browser.findElement(By.id("state-panel"));
    waitFor(
        d -> "ActivatorState".equals(panel.findElement(By.id("state-name")).getText()),
        "the state panel");
    String jobId =
        JSON.readTree(sfn.describeExecution(b -> b.executionArn(goodExecution)).output())
            .path("job")
            .path("JobId")
            .asText();
    assertFalse(jobId.isEmpty());
    waitFor(
        d -> !panel.findElements(By.cssSelector(".job .job-id")).isEmpty(),
        "the Batch job in the state panel");
    assertEquals(jobId, panel.findElement(By.cssSelector(".job .job-id")).getText());
    String logInFile =
        Files.readString(stack.dataDir().resolve("batch/logs").resolve(jobId).resolve("1.log"))
            .strip();
    String shown =
        panel
            .findElement(By.cssSelector(".job pre.log-lines"))
            .getDomProperty("textContent")
            .strip();
    assertFalse(logInFile.isEmpty());
    assertEquals(logInFile, shown, "the job's log lines are shown inline");
    assertTrue(
        panel
            .findElement(By.cssSelector("pre.state-input"))
            .getDomProperty("textContent")
            .contains("activator-queue"));

    // The event history table lists every event.
    assertEquals(
        history.size(), browser.findElements(By.cssSelector("#events tr.event-row")).size());
  }

  @Test
  void noEdgeRunsThroughAStateItDoesNotConnect() {
    openExecution(goodExecution);
    waitFor(
        d -> stateStatus("ActivatorState").equals("succeeded"),
        "ActivatorState succeeded in the graph");
    assertTrue(
        takenEdges()
            .containsAll(List.of("ActivatorState->ReadJobOutcome", "PublishOutcome->__end__@root")),
        takenEdges().toString());
    List<String> crossings = edgesThroughBoxes();
    // The case that made a good run read as a failure: the taken path to End drawn through the
    // failure path's boxes.
    assertEquals(
        List.of(),
        crossings.stream()
            .filter(
                c ->
                    c.startsWith("ActivatorState -> ReadJobOutcome")
                        || c.startsWith("PublishOutcome -> __end__@root"))
            .toList(),
        "the taken path to End");
    assertEquals(List.of(), crossings, "edges drawn through a box they do not connect");
  }

  /**
   * Every edge sampled every 2 px along its drawn path, in screen coordinates, against every state
   * and Start/End box other than its own ends and the groups it lies in (1 px tolerance at the
   * border, where arrows end).
   */
  @SuppressWarnings("unchecked")
  private static List<String> edgesThroughBoxes() {
    return (List<String>)
        ((JavascriptExecutor) browser)
            .executeScript(
                """
                const boxes = [...document.querySelectorAll('svg.graph g.state, svg.graph g.pseudo')]
                  .map((g) => ({
                    g,
                    name: g.dataset.state || g.dataset.key,
                    r: g.querySelector(':scope > rect, :scope > circle').getBoundingClientRect(),
                  }));
                const found = new Set();
                for (const path of document.querySelectorAll('svg.graph path.edge')) {
                  const { from, to } = path.dataset;
                  const m = path.getScreenCTM();
                  const length = path.getTotalLength();
                  for (let at = 0; at <= length; at += 2) {
                    const local = path.getPointAtLength(at);
                    const p = new DOMPoint(local.x, local.y).matrixTransform(m);
                    for (const b of boxes) {
                      if (b.name === from || b.name === to || b.g.contains(path)) continue;
                      if (p.x > b.r.left + 1 && p.x < b.r.right - 1
                          && p.y > b.r.top + 1 && p.y < b.r.bottom - 1) {
                        found.add(`${from} -> ${to} crosses ${b.name}`);
                      }
                    }
                  }
                }
                return [...found];
                """);
  }

  @Test
  void clickingTheFailedStatesShowsTheirErrors() throws Exception {
    openExecution(failedExecution);
    waitFor(d -> stateStatus("JobFailed").equals("failed"), "JobFailed shown as failed");
    assertEquals("caught", stateStatus("ActivatorState"), "the Catch took the activator's failure");
    assertEquals("succeeded", stateStatus("RecordActivatorFailure"));
    assertEquals("not-reached", stateStatus("ProcessorState"));
    assertTrue(takenEdges().contains("ActivatorState->RecordActivatorFailure"));
    assertTrue(takenEdges().contains("JobFailed->__end__@root"));

    DescribeExecutionResponse d = sfn.describeExecution(b -> b.executionArn(failedExecution));
    click("ActivatorState");
    WebElement panel = browser.findElement(By.id("state-panel"));
    waitFor(
        x -> !panel.findElements(By.cssSelector(".error-box .error-name")).isEmpty(),
        "the error of ActivatorState");
    assertEquals(
        d.error(),
        panel.findElement(By.cssSelector(".error-box:not(.retried) .error-name")).getText());
    assertEquals("Caught error", panel.findElement(By.id("state-status")).getText());

    click("JobFailed");
    waitFor(
        x -> "JobFailed".equals(panel.findElement(By.id("state-name")).getText()),
        "JobFailed selected");
    assertEquals("Failed", panel.findElement(By.id("state-status")).getText());
    assertEquals(d.error(), browser.findElement(By.id("execution-error")).getText());

    String screenshot = System.getProperty("console.screenshot");
    click("ActivatorState");
    waitFor(
        x -> !panel.findElements(By.cssSelector(".job .job-id")).isEmpty(),
        "the failed job in the panel");
    if (screenshot != null && !screenshot.isBlank()) {
      ((JavascriptExecutor) browser)
          .executeScript("document.querySelector('.graph-panel').scrollIntoView({block: 'start'})");
      Path out = Path.of(screenshot).toAbsolutePath();
      Files.createDirectories(out.getParent());
      Files.write(out, ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES));
    }
  }

  @Test
  void aFailedExecutionIsRedrivenFromTheButton() {
    var input =
        JSON.createObjectNode()
            .put("eventSourceARN", "arn:aws:sqs:us-east-1:000000000000:no-such-queue")
            .put("queueName", "no-such-queue")
            .put("messageId", "console-redrive");
    input.putObject("parameters").put("event", "{}");
    String arn =
        sfn.startExecution(
                b ->
                    b.stateMachineArn(stack.stateMachineArn())
                        .name("console-redrive")
                        .input(input.toString()))
            .executionArn();
    awaitStatus(arn, "FAILED");
    openExecution(arn);
    waitFor(d -> !d.findElements(By.id("redrive-execution")).isEmpty(), "the Redrive button");
    assertTrue(
        browser.findElements(By.id("stop-execution")).isEmpty(),
        "no Stop button on an ended execution");

    browser.findElement(By.id("redrive-execution")).click();
    waitFor(
        d ->
            sfn.getExecutionHistory(b -> b.executionArn(arn).maxResults(1000)).events().stream()
                .anyMatch(e -> e.typeAsString().equals("ExecutionRedriven")),
        "the ExecutionRedriven event");
    awaitStatus(arn, "FAILED"); // the unknown source fails again in FailureState, as it should
    waitFor(
        d ->
            d.findElements(By.cssSelector("#events tr")).stream()
                .anyMatch(r -> r.getText().contains("ExecutionRedriven")),
        "the redrive in the event history table");
  }

  @Test
  void aMessageSentFromTheFormAppearsAsAnExecution() {
    browser.get(consoleUrl + "#/queues");
    waitFor(d -> d.findElements(By.cssSelector("#queues tr.queue-row")).size() == 2, "both queues");
    new Select(browser.findElement(By.id("send-queue"))).selectByValue("activator");
    WebElement body = browser.findElement(By.id("send-body"));
    body.clear();
    body.sendKeys("{\"scene\": \"s3://hsi-data/scenes/console-form/missing.hdr\"}");
    browser.findElement(By.id("send-button")).click();
    waitFor(d -> !d.findElements(By.id("sent-message-id")).isEmpty(), "the sent message id");
    String messageId = browser.findElement(By.id("sent-message-id")).getText();

    browser.findElement(By.id("watch-executions")).click();
    String arn = awaitExecution(input -> messageId.equals(input.path("messageId").asText()), null);
    waitFor(d -> arns().contains(arn), "the new execution in the list");
  }

  @Test
  void htmlInAnExecutionInputRendersAsText() {
    openExecution(htmlExecution);
    waitFor(d -> stateStatus("FailureState").equals("failed"), "FailureState failed");
    String input =
        browser.findElement(By.cssSelector("pre.execution-input")).getDomProperty("textContent");
    assertTrue(input.contains("<img src=x onerror="), input);
    assertTrue(input.contains("<b id=\\\"xss-bold\\\">"), input);
    assertTrue(
        browser.findElements(By.id("xss-bold")).isEmpty(), "no element was created from the input");
    assertTrue(
        browser.findElements(By.cssSelector("#view img")).isEmpty(),
        "no image was created from the input");
    assertEquals(
        null,
        ((JavascriptExecutor) browser)
            .executeScript("return window.__xss === undefined ? null : window.__xss"));

    click("RouteBySourceQueue");
    WebElement panel = browser.findElement(By.id("state-panel"));
    waitFor(
        d ->
            panel
                .findElement(By.cssSelector("pre.state-input"))
                .getDomProperty("textContent")
                .contains("<script>"),
        "the state input as text");
    assertTrue(browser.findElements(By.cssSelector("#view script")).isEmpty());
  }

  // ------------------------------------------------------------------ helpers

  private static String sendToActivator(String body) {
    return stack
        .sqsClient()
        .sendMessage(b -> b.queueUrl(stack.queueUrl("activator")).messageBody(body))
        .messageId();
  }

  private static String queueName(JsonNode input) {
    String arn = input.path("eventSourceARN").asText("");
    return arn.substring(arn.lastIndexOf(':') + 1);
  }

  /** Polls ListExecutions until an execution's input matches (and it has {@code status}). */
  private static String awaitExecution(Predicate<JsonNode> inputMatches, String status) {
    Map<String, JsonNode> inputs = new LinkedHashMap<>();
    String arn =
        Awaitility.await("an execution whose input matches")
            .atMost(PIPELINE_WAIT)
            .pollInterval(Duration.ofMillis(250))
            .until(() -> matchingExecution(inputMatches, inputs), Optional::isPresent)
            .get();
    if (status != null) {
      awaitStatus(arn, status);
    }
    return arn;
  }

  private static Optional<String> matchingExecution(
      Predicate<JsonNode> inputMatches, Map<String, JsonNode> inputs) {
    for (ExecutionListItem e :
        sfn.listExecutions(b -> b.stateMachineArn(stack.stateMachineArn()).maxResults(100))
            .executions()) {
      JsonNode input =
          inputs.computeIfAbsent(
              e.executionArn(),
              arn -> {
                try {
                  return JSON.readTree(sfn.describeExecution(b -> b.executionArn(arn)).input());
                } catch (IOException ex) {
                  throw new IllegalStateException(ex);
                }
              });
      if (inputMatches.test(input)) {
        return Optional.of(e.executionArn());
      }
    }
    return Optional.empty();
  }

  private static void awaitStatus(String arn, String status) {
    DescribeExecutionResponse d =
        Awaitility.await(arn + " ending")
            .atMost(PIPELINE_WAIT)
            .pollInterval(Duration.ofMillis(250))
            .until(
                () -> sfn.describeExecution(b -> b.executionArn(arn)),
                r -> !r.statusAsString().equals("RUNNING"));
    assertEquals(
        status,
        d.statusAsString(),
        arn + " ended " + d.statusAsString() + ": " + d.error() + " " + d.cause());
  }

  private static void openExecution(String arn) {
    browser.get(consoleUrl + "#/execution/" + URLEncoder.encode(arn, StandardCharsets.UTF_8));
    waitFor(
        d -> !d.findElements(By.cssSelector("svg.graph g.state")).isEmpty(), "the graph of " + arn);
  }

  private static List<WebElement> rows() {
    return browser.findElements(By.cssSelector("#executions tr.execution-row"));
  }

  private static List<String> arns() {
    return rows().stream().map(r -> r.getDomAttribute("data-arn")).toList();
  }

  private static String stateStatus(String name) {
    List<WebElement> nodes =
        browser.findElements(By.cssSelector("svg.graph g.state[data-state='" + name + "']"));
    return nodes.isEmpty() ? "" : nodes.get(0).getDomAttribute("data-status");
  }

  private static Set<String> reachedStates() {
    Set<String> out = new LinkedHashSet<>();
    for (WebElement n : browser.findElements(By.cssSelector("svg.graph g.state"))) {
      if (!"not-reached".equals(n.getDomAttribute("data-status"))) {
        out.add(n.getDomAttribute("data-state"));
      }
    }
    return out;
  }

  private static Set<String> takenEdges() {
    Set<String> out = new LinkedHashSet<>();
    for (WebElement e : browser.findElements(By.cssSelector("svg.graph path.edge.taken"))) {
      out.add(e.getDomAttribute("data-from") + "->" + e.getDomAttribute("data-to"));
    }
    return out;
  }

  private static void click(String state) {
    // SVG <g> elements have no layout box of their own for WebDriver's click; click the box.
    browser
        .findElement(By.cssSelector("svg.graph g.state[data-state='" + state + "'] > rect.box"))
        .click();
  }

  private static void waitFor(
      java.util.function.Function<WebDriver, Boolean> condition, String what) {
    new WebDriverWait(browser, PAGE_WAIT)
        .withMessage("waiting for " + what)
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(condition::apply);
  }

  private static String firstExisting(String... paths) {
    for (String p : paths) {
      if (Files.isExecutable(Path.of(p))) {
        return p;
      }
    }
    return null;
  }
}
