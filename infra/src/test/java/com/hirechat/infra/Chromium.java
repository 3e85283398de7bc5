package com.hirechat.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium, driven through Debian's chromedriver. Both are installed with apt-get when missing: the browser
 * tests run wherever {@code mvn verify} runs, and a test tool's own browser download cannot work on these machines.
 * Paths are given explicitly so Selenium never starts its Selenium Manager to look for (or fetch) a driver.
 */
final class Chromium {

    private static final Path BROWSER = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration APT_TIMEOUT = Duration.ofMinutes(10);
    private static final String HOW_TO_INSTALL = "install them with: apt-get install chromium chromium-driver";

    private Chromium() {
    }

    /** Installs chromium and chromium-driver unless both are there; fails (never skips) when that is impossible. */
    static synchronized void ensureInstalled() {
        if (installed()) {
            return;
        }
        apt("update");
        apt("install", "-y", "chromium", "chromium-driver");
        if (!installed()) {
            throw new AssertionError("apt-get ran, but " + BROWSER + " or " + DRIVER + " is still missing; " + HOW_TO_INSTALL);
        }
    }

    /**
     * A new headless browser with its own profile directory: two of them are two people, with separate storage and
     * cookies. The flags are the ones that work as root on a machine without network access.
     */
    static WebDriver start(Path profileDir) {
        ensureInstalled();
        var options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments(
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,860", "--lang=en-US",
                "--user-data-dir=" + profileDir.toAbsolutePath());
        var service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);   // quit() also stops this chromedriver
    }

    private static boolean installed() {
        return Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
    }

    private static void apt(String... arguments) {
        var command = new ArrayList<String>(List.of("apt-get"));
        command.addAll(List.of(arguments));
        try {
            var log = Files.createTempFile("apt-get-", ".log");
            var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
            var process = builder.start();
            if (!process.waitFor(APT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + APT_TIMEOUT
                        + "; browser tests need chromium and chromium-driver: " + HOW_TO_INSTALL);
            }
            if (process.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed (exit " + process.exitValue()
                        + "); browser tests need chromium and chromium-driver: " + HOW_TO_INSTALL + "\n" + tail(log));
            }
        } catch (IOException e) {
            throw new AssertionError("could not run " + String.join(" ", command) + ": " + e.getMessage()
                    + "; browser tests need chromium and chromium-driver: " + HOW_TO_INSTALL, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while installing chromium", e);
        }
    }

    private static String tail(Path log) throws IOException {
        var lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }
}
