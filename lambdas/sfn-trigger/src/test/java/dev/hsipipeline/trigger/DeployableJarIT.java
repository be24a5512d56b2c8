package dev.hsipipeline.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployable artifact {@code target/sfn-trigger.jar}, loaded in its own class loader (as Lambda
 * and the local stack load a function), with the event (de)serialized by the Lambda runtime's own
 * serializer library: proves the minimised jar has every class the runtime and the SDK load by name
 * (joda-time, HTTP client SPI, ...), and that the response JSON uses {@code itemIdentifier}.
 */
class DeployableJarIT {

  static final Path JAR = Path.of("target/sfn-trigger.jar");

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dataDir;
  static LocalAws aws;

  @BeforeAll
  static void start() {
    aws = new LocalAws(dataDir);
  }

  @AfterAll
  static void stop() {
    if (aws != null) aws.close();
  }

  @Test
  void artifactIsSmallAndHasNoExcludedHttpStacksOrTestCode() throws Exception {
    assertTrue(
        Files.size(JAR) < 8L * 1024 * 1024, "sfn-trigger.jar is " + Files.size(JAR) + " bytes");
    try (JarFile jar = new JarFile(JAR.toFile())) {
      var names = jar.stream().map(e -> e.getName()).toList();
      assertTrue(names.contains("dev/hsipipeline/trigger/SfnTriggerHandler.class"));
      assertTrue(names.contains("org/joda/time/DateTime.class"));
      for (String forbidden :
          new String[] {
            "io/netty/",
            "org/apache/http",
            "software/amazon/awssdk/crt/",
            "software/amazon/awssdk/http/apache",
            "software/amazon/awssdk/http/nio/",
            "org/junit/",
            "dev/hsipipeline/local/",
            "com/fasterxml/jackson/databind/"
          }) {
        assertFalse(names.stream().anyMatch(n -> n.startsWith(forbidden)), forbidden);
      }
    }
  }

  @Test
  void noEntryCarriesTheTimeOfTheBuildSoARebuildIsByteIdentical() throws Exception {
    // Terraform uploads the jar when its hash changes, and every upload publishes a new version
    // and SnapStart snapshot: build times in the entries would change the hash on every build.
    // The handler's own classes carry project.build.outputTimestamp; shade copies every other
    // class with the time it has in its (immutable) dependency jar.
    String configured = System.getProperty("project.build.outputTimestamp");
    assertTrue(
        configured != null && !configured.isBlank(),
        "failsafe must pass project.build.outputTimestamp (set in the parent pom)");
    Instant fixed = Instant.parse(configured);
    // A zip entry stores wall-clock time without a zone: accept the fixed instant read in UTC or
    // in this machine's zone.
    Set<LocalDateTime> allowed =
        Stream.of(ZoneOffset.UTC, ZoneId.systemDefault())
            .map(zone -> LocalDateTime.ofInstant(fixed, zone))
            .collect(Collectors.toSet());
    List<String> wrong = new ArrayList<>();
    int own = 0;
    int copied = 0;
    try (JarFile jar = new JarFile(JAR.toFile())) {
      for (JarEntry e : jar.stream().toList()) {
        if (e.getName().startsWith("dev/")) {
          own++;
          if (!allowed.contains(e.getTimeLocal())) {
            wrong.add(e.getName() + " @ " + e.getTimeLocal() + " (expected " + configured + ")");
          }
        } else if (e.getName().endsWith(".class")) {
          LocalDateTime source = timeInDependencyJar(e.getName());
          if (source != null) {
            copied++;
            if (!source.equals(e.getTimeLocal())) {
              wrong.add(e.getName() + " @ " + e.getTimeLocal() + " (its jar has " + source + ")");
            }
          }
        }
      }
    }
    assertTrue(own >= 10 && copied >= 1000, "checked " + own + " own and " + copied + " copied");
    assertEquals(List.of(), wrong.stream().limit(10).toList());
  }

  /** The entry's time in the dependency jar the test class path loads it from, or null. */
  private static LocalDateTime timeInDependencyJar(String name) throws Exception {
    URL url = ClassLoader.getSystemResource(name);
    if (url == null || !"jar".equals(url.getProtocol())) {
      return null;
    }
    JarURLConnection c = (JarURLConnection) url.openConnection();
    c.setUseCaches(false);
    try (JarFile source = c.getJarFile()) {
      JarEntry e = source.getJarEntry(name);
      return e == null ? null : e.getTimeLocal();
    }
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void handlesABatchInAnIsolatedClassLoaderLikeTheLambdaRuntime() throws Exception {
    String sm = aws.newStateMachine();
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {JAR.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
      Class<?> eventClass =
          loader.loadClass("com.amazonaws.services.lambda.runtime.events.SQSEvent");
      Class<?> responseClass =
          loader.loadClass("com.amazonaws.services.lambda.runtime.events.SQSBatchResponse");
      PojoSerializer in = LambdaEventSerializers.serializerFor(eventClass, loader);
      PojoSerializer out = LambdaEventSerializers.serializerFor(responseClass, loader);
      Object event;
      try (InputStream fixture = getClass().getResourceAsStream("/sqs/non-json-body.json")) {
        event = in.fromJson(fixture);
      }
      Class<?> handlerClass = loader.loadClass("dev.hsipipeline.trigger.SfnTriggerHandler");
      Object handler = handlerClass.getConstructor(Map.class).newInstance(aws.env(sm));
      Class<?> contextClass = loader.loadClass("com.amazonaws.services.lambda.runtime.Context");
      Method handle = handlerClass.getMethod("handleRequest", eventClass, contextClass);
      Object response = handle.invoke(handler, event, null);
      ((AutoCloseable) handler).close();

      ByteArrayOutputStream json = new ByteArrayOutputStream();
      out.toJson(response, json);
      JsonNode failures = JSON.readTree(json.toByteArray()).get("batchItemFailures");
      assertEquals(1, failures.size(), json.toString());
      assertEquals(
          "8c0a2a9e-0d1b-4a53-9a3c-5f0f2c6f1a02", failures.get(0).get("itemIdentifier").asText());
    }
    assertEquals(2, aws.executions(sm).size());
  }
}
