package dev.hsipipeline.terraform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the Terraform checks find a provider mirror (runs without terraform). */
class TerraformWorkspaceTest {

  @TempDir Path tmp;

  @Test
  void findsTheFirstMirrorWithAnAws5ProviderOfAtLeast5100ForThisPlatform() throws IOException {
    Path tooOld = mirror("old", "5.99.0", "linux_amd64");
    Path major4 = mirror("four", "4.67.0", "linux_amd64");
    Path otherPlatform = mirror("arm", "5.100.0", "linux_arm64");
    Path good = mirror("good", "5.100.0", "linux_amd64");
    Path alsoGood = mirror("later", "5.101.0", "linux_amd64");

    Optional<Path> found =
        TerraformWorkspace.findMirror(
            List.of(tmp.resolve("missing"), tooOld, major4, otherPlatform, good, alsoGood),
            "linux_amd64");

    assertEquals(Optional.of(good.toAbsolutePath()), found);
  }

  @Test
  void findsNothingWhenNoCandidateHoldsTheProviderBinary() throws IOException {
    Path empty = tmp.resolve("empty/registry.terraform.io/hashicorp/aws/5.100.0/linux_amd64");
    Files.createDirectories(empty); // the platform directory without a binary

    assertTrue(
        TerraformWorkspace.findMirror(
                List.of(tmp.resolve("empty"), tmp.resolve("none")), "linux_amd64")
            .isEmpty());
  }

  @Test
  void namesPlatformsTheWayTerraformDoes() {
    assertTrue(
        TerraformWorkspace.platform().matches("(linux|darwin|windows)_[a-z0-9]+"),
        TerraformWorkspace.platform());
  }

  private Path mirror(String name, String version, String platform) throws IOException {
    Path dir = tmp.resolve(name);
    Path bin =
        dir.resolve("registry.terraform.io/hashicorp/aws")
            .resolve(version)
            .resolve(platform)
            .resolve("terraform-provider-aws_v" + version + "_x5");
    Files.createDirectories(bin.getParent());
    Files.writeString(bin, "not a real provider");
    return dir;
  }
}
