package dev.hsipipeline.bench.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.hsipipeline.local.LocalStack;
import dev.hsipipeline.local.StackSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Security checks on a running stack: every listening socket of this process is bound to the
 * loopback address (read from the kernel's socket table, not from configuration), execution data
 * reaches the console only as JSON and is rendered as text, and no credential appears in any log.
 */
@Tag("reliability")
class SecurityTest {
  private static final String CANARY = "CANARYsecret" + Long.toHexString(System.nanoTime());

  @TempDir Path dir;

  @Test
  void theRealLocalStackListensOnLoopbackOnly() throws Exception {
    Repo.triggerJar();
    Set<Long> before = listeningInodes();
    StackSettings s =
        StackSettings.defaults(Repo.root()).withDataDir(dir.resolve("data")).withEphemeralPorts();
    try (LocalStack stack = LocalStack.start(s)) {
      List<String> listeners = ownListeners(before);
      System.out.println("listening sockets opened by the stack: " + listeners);
      assertFalse(
          listeners.isEmpty(),
          "no listening sockets found for this process: cannot check the bindings");
      for (URI endpoint : List.of(stack.sqsEndpoint(), stack.s3Endpoint(), stack.sfnEndpoint())) {
        assertTrue(
            listeners.stream().anyMatch(l -> l.endsWith(":" + endpoint.getPort())),
            endpoint + " is not among this process's listening sockets " + listeners);
      }
      for (String l : listeners) {
        assertTrue(
            l.startsWith("127.0.0.1:")
                || l.startsWith("[::1]:")
                || l.startsWith("[::ffff:127.0.0.1]:"),
            "a server listens beyond loopback: " + l + " (all: " + listeners + ")");
      }
      // And from the outside: the machine's other addresses must refuse every port.
      for (InetAddress other : nonLoopbackAddresses()) {
        for (String l : listeners) {
          int port = Integer.parseInt(l.substring(l.lastIndexOf(':') + 1));
          try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(other, port), 1000);
            throw new AssertionError(
                "port " + port + " accepts connections on " + other.getHostAddress());
          } catch (IOException refused) {
            // expected
          }
        }
      }
    }
  }

  @Test
  void consoleRendersExecutionDataAsTextAndServesItOnlyAsJson() throws Exception {
    Repo.triggerJar();
    // Static: the console's scripts (its own and the vendored ones) never hand data to an HTML
    // parser.
    Path console = Repo.root().resolve("local/stack/src/main/resources/console");
    assumeTrue(Files.isDirectory(console), "no console sources");
    Pattern sink =
        Pattern.compile(
            "\\.(innerHTML|outerHTML)\\s*=|insertAdjacentHTML|document\\.write|\\beval\\s*\\(|new Function\\(");
    List<String> sinks = new ArrayList<>();
    try (Stream<Path> files = Files.walk(console)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".js")).toList()) {
        int n = 0;
        for (String line : Files.readAllLines(f)) {
          n++;
          String code = line.replaceAll("//.*$", "");
          if (sink.matcher(code).find()) {
            sinks.add(f.getFileName() + ":" + n + ": " + line.strip());
          }
        }
      }
    }
    assertTrue(
        sinks.isEmpty(),
        "HTML sinks in the console's scripts (execution data must be set as text): " + sinks);

    // Dynamic: an execution whose input is markup; the page never contains it, the API returns
    // JSON.
    String xss = "</script><script>alert('x')</script><img src=x onerror=alert(1)>";
    StackSettings s =
        StackSettings.defaults(Repo.root()).withDataDir(dir.resolve("data")).withEphemeralPorts();
    try (LocalStack stack = LocalStack.start(s);
        SfnClient sfn =
            SfnClient.builder()
                .endpointOverride(stack.sfnEndpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(LocalStack.credentials())
                .build()) {
      String arn =
          sfn.startExecution(
                  b ->
                      b.stateMachineArn(stack.stateMachineArn())
                          .name("xss-check")
                          .input(
                              "{\"eventSourceARN\":\""
                                  + xss.replace("\"", "\\\"")
                                  + "\",\"messageId\":\"m\",\"parameters\":{\"event\":\"{}\"}}"))
              .executionArn();
      Awaitility.await("the execution with markup in its input ending")
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  sfn.describeExecution(b -> b.executionArn(arn)).status()
                      != ExecutionStatus.RUNNING);
      String page = get(URI.create(stack.consoleUrl() + "console/"), null);
      assertFalse(page.contains("onerror=alert"), "the console page embeds execution data");
      HttpURLConnection c =
          (HttpURLConnection) URI.create(stack.sfnEndpoint() + "/").toURL().openConnection();
      c.setRequestMethod("POST");
      c.setDoOutput(true);
      c.setRequestProperty("Content-Type", "application/x-amz-json-1.0");
      c.setRequestProperty("X-Amz-Target", "AWSStepFunctions.DescribeExecution");
      // What the console page sends: its unsigned calls act with the operator's rights.
      c.setRequestProperty(dev.hsipipeline.local.iam.LocalIam.CONSOLE_HEADER, "console");
      try (OutputStream o = c.getOutputStream()) {
        o.write(("{\"executionArn\":\"" + arn + "\"}").getBytes(StandardCharsets.UTF_8));
      }
      String body = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(
          String.valueOf(c.getContentType()).contains("json"),
          "API content type: " + c.getContentType());
      // The markup travels only inside a JSON string value, recovered intact by a JSON parser.
      String input =
          new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).path("input").asText();
      assertTrue(
          input.contains(xss), "DescribeExecution must return the input as a JSON string: " + body);
      assertEquals(
          "FAILED",
          sfn.describeExecution(b -> b.executionArn(arn)).statusAsString(),
          "an unknown eventSourceARN must route to FailureState");
    }
  }

  @Test
  void noCredentialAppearsInAnyLog() throws Exception {
    Repo.triggerJar();
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.setContext(ctx);
    captured.start();
    root.addAppender(captured);
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    System.setOut(new PrintStream(new Tee(originalOut, console), true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(new Tee(originalErr, console), true, StandardCharsets.UTF_8));
    Path data = dir.resolve("data");
    try (ReliabilityStack stack =
            ReliabilityStack.start(
                new ReliabilityStack.Options(
                    Repo.root(),
                    data,
                    dir.resolve("work"),
                    0,
                    0,
                    0,
                    2,
                    false,
                    4,
                    Map.of(),
                    CANARY));
        SqsClient sqs =
            SqsClient.builder()
                .endpointOverride(stack.sqsEndpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(ReliabilityStack.credentials())
                .build()) {
      // Success, transient failure + retry, permanent failure and a trigger rejection: every log
      // path.
      for (String body :
          List.of(
              "{\"seq\":1}",
              "{\"seq\":2,\"faults\":{\"failAttempts\":1}}",
              "{\"seq\":3,\"permanent\":true}",
              "not json")) {
        sqs.sendMessage(b -> b.queueUrl(stack.queueUrl("activator")).messageBody(body));
      }
      LoadWithFaults probe = LoadWithFaults.against(stack, data);
      try (SfnClient sfn = probe.sfn()) {
        // Only what has run can be checked: every execution must have ended, each as its
        // message asks, and the non-JSON body must have been rejected until it reached the DLQ.
        List<String> statuses =
            Awaitility.await("the three JSON messages' executions ending")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(300))
                .until(
                    () ->
                        sfn
                            .listExecutions(b -> b.stateMachineArn(stack.stateMachineArn()))
                            .executions()
                            .stream()
                            .map(e -> e.statusAsString())
                            .sorted()
                            .toList(),
                    s -> s.size() == 3 && !s.contains("RUNNING"));
        assertEquals(
            List.of("FAILED", "SUCCEEDED", "SUCCEEDED"),
            statuses,
            "a success, a success after a retry and a permanent failure");
      }
      Awaitility.await("the non-JSON body reaching the DLQ after its rejections")
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(300))
          .until(() -> depth(sqs, stack.dlqUrl("activator")) == 1);
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
      root.detachAppender(captured);
    }
    List<String> leaks = new ArrayList<>();
    for (ILoggingEvent e : captured.list) {
      if (e.getFormattedMessage().contains(CANARY)) {
        leaks.add("log " + e.getLoggerName() + ": " + e.getFormattedMessage());
      }
    }
    if (console.toString(StandardCharsets.UTF_8).contains(CANARY)) {
      leaks.add("stdout/stderr of the stack process (trigger JSON logs included)");
    }
    try (Stream<Path> logs = Files.walk(data.resolve("batch").resolve("logs"))) {
      for (Path f : logs.filter(Files::isRegularFile).toList()) {
        if (Files.readString(f).contains(CANARY)) {
          leaks.add("job log " + data.relativize(f));
        }
      }
    }
    assertTrue(
        captured.list.size() + console.size() > 0,
        "nothing was logged: the check would prove nothing");
    assertTrue(leaks.isEmpty(), "the secret access key appears in: " + leaks);
  }

  private static int depth(SqsClient sqs, String queueUrl) {
    return Integer.parseInt(
        sqs.getQueueAttributes(
                b ->
                    b.queueUrl(queueUrl)
                        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
            .attributes()
            .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
  }

  // ---- the kernel's view of this process's listening TCP sockets

  private static Set<Long> listeningInodes() throws IOException {
    Set<Long> own = socketInodesOfThisProcess();
    Set<Long> listening = new HashSet<>();
    for (String[] row : tcpRows()) {
      if (row[3].equals("0A") && own.contains(Long.parseLong(row[9]))) {
        listening.add(Long.parseLong(row[9]));
      }
    }
    return listening;
  }

  /** "address:port" of every LISTEN socket this process opened since {@code before}. */
  private static List<String> ownListeners(Set<Long> before) throws IOException {
    assumeTrue(
        Files.isDirectory(Path.of("/proc/self/fd")), "needs Linux /proc to read socket bindings");
    Set<Long> own = socketInodesOfThisProcess();
    List<String> out = new ArrayList<>();
    for (String[] row : tcpRows()) {
      long inode = Long.parseLong(row[9]);
      if (row[3].equals("0A") && own.contains(inode) && !before.contains(inode)) {
        out.add(decode(row[1]));
      }
    }
    Collections.sort(out);
    return out;
  }

  private static Set<Long> socketInodesOfThisProcess() throws IOException {
    Set<Long> inodes = new HashSet<>();
    Pattern p = Pattern.compile("socket:\\[(\\d+)]");
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : fds.toList()) {
        try {
          Matcher m = p.matcher(Files.readSymbolicLink(fd).toString());
          if (m.matches()) {
            inodes.add(Long.parseLong(m.group(1)));
          }
        } catch (IOException closedMeanwhile) {
          // fds come and go
        }
      }
    }
    return inodes;
  }

  private static List<String[]> tcpRows() throws IOException {
    List<String[]> rows = new ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path t = Path.of(table);
      if (Files.isReadable(t)) {
        List<String> lines = Files.readAllLines(t);
        for (String line : lines.subList(1, lines.size())) {
          rows.add(line.trim().split("\\s+"));
        }
      }
    }
    return rows;
  }

  /**
   * Decodes /proc/net/tcp{,6} "ADDR:PORT" (hex, host byte order words) to "a.b.c.d:port" /
   * "[v6]:port".
   */
  static String decode(String hex) {
    String[] parts = hex.split(":");
    int port = Integer.parseInt(parts[1], 16);
    String a = parts[0];
    if (a.length() == 8) {
      return String.format(
          "%d.%d.%d.%d:%d",
          Integer.parseInt(a.substring(6, 8), 16),
          Integer.parseInt(a.substring(4, 6), 16),
          Integer.parseInt(a.substring(2, 4), 16),
          Integer.parseInt(a.substring(0, 2), 16),
          port);
    }
    byte[] b = new byte[16];
    for (int w = 0; w < 4; w++) {
      for (int k = 0; k < 4; k++) {
        b[w * 4 + k] =
            (byte) Integer.parseInt(a.substring(w * 8 + (3 - k) * 2, w * 8 + (3 - k) * 2 + 2), 16);
      }
    }
    try {
      InetAddress addr = InetAddress.getByAddress(b);
      String text =
          addr instanceof Inet4Address ? "::ffff:" + addr.getHostAddress() : addr.getHostAddress();
      if (text.equals("0:0:0:0:0:0:0:1")) {
        text = "::1";
      } else if (text.equals("0:0:0:0:0:0:0:0")) {
        text = "::";
      }
      return "[" + text + "]:" + port;
    } catch (IOException e) {
      return "[" + a + "]:" + port;
    }
  }

  private static List<InetAddress> nonLoopbackAddresses() throws IOException {
    List<InetAddress> out = new ArrayList<>();
    for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (ni.isUp() && !ni.isLoopback()) {
        for (InetAddress a : Collections.list(ni.getInetAddresses())) {
          if (a instanceof Inet4Address) {
            out.add(a);
          }
        }
      }
    }
    return out;
  }

  private static String get(URI uri, String ignored) throws IOException {
    HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
    c.setInstanceFollowRedirects(true);
    try (var in = c.getResponseCode() < 400 ? c.getInputStream() : c.getErrorStream()) {
      return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Writes to two streams. */
  private static final class Tee extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    Tee(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int c) throws IOException {
      a.write(c);
      synchronized (b) {
        b.write(c);
      }
    }

    @Override
    public void write(byte[] buf, int off, int len) throws IOException {
      a.write(buf, off, len);
      synchronized (b) {
        b.write(buf, off, len);
      }
    }
  }
}
