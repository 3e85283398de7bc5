package com.hirechat.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;

/**
 * Screenshots of the main views, taken by the browser tests. Always written to {@code target/screenshots}; with
 * {@code -Dhirechat.screenshots=docs} also to {@code docs/screenshots}, which the README shows. Opt-in, because
 * every run differs (clock times on the messages) and an ordinary {@code mvn verify} should not leave the work tree
 * changed.
 */
final class Screenshots {

    private static final Path MODULE = Path.of(System.getProperty("basedir", "."));

    private Screenshots() {
    }

    static void take(WebDriver driver, String name) {
        var png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
        write(MODULE.resolve("target/screenshots"), name, png);
        if ("docs".equals(System.getProperty("hirechat.screenshots"))) {
            write(MODULE.resolve("../docs/screenshots").normalize(), name, png);
        }
    }

    private static void write(Path dir, String name, byte[] png) {
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve(name + ".png"), png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
