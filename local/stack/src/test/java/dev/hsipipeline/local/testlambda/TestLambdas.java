package dev.hsipipeline.local.testlambda;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Packages {@link RecordingHandler} like a deployable function: handler + bundled event classes.
 */
public final class TestLambdas {
  private TestLambdas() {}

  public static Path recordingHandlerJar(Path dir) throws IOException, URISyntaxException {
    Path jar = dir.resolve("recording-function.jar");
    Path events =
        Path.of(SQSEvent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    try (OutputStream os = Files.newOutputStream(jar);
        JarOutputStream jos = new JarOutputStream(os);
        JarFile ev = new JarFile(events.toFile())) {
      String entry = RecordingHandler.class.getName().replace('.', '/') + ".class";
      jos.putNextEntry(new JarEntry(entry));
      try (InputStream in = RecordingHandler.class.getClassLoader().getResourceAsStream(entry)) {
        in.transferTo(jos);
      }
      jos.closeEntry();
      for (Enumeration<JarEntry> e = ev.entries(); e.hasMoreElements(); ) {
        JarEntry je = e.nextElement();
        if (je.isDirectory() || !je.getName().endsWith(".class")) {
          continue;
        }
        jos.putNextEntry(new JarEntry(je.getName()));
        try (InputStream in = ev.getInputStream(je)) {
          in.transferTo(jos);
        }
        jos.closeEntry();
      }
    }
    return jar;
  }
}
