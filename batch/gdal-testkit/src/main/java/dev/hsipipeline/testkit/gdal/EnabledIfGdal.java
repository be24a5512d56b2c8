package dev.hsipipeline.testkit.gdal;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class or method that uses GDAL as its oracle: tags it {@code gdal} (so a build can
 * select or exclude the group) and skips it, with a message saying how to install GDAL, where
 * {@link Gdal#available()} is false. CI installs GDAL ({@code .ci/run}), so there they run.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("gdal")
@ExtendWith(GdalCondition.class)
public @interface EnabledIfGdal {}
