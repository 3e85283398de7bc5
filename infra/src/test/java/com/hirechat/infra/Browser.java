package com.hirechat.infra;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chromium.HasCdp;
import org.openqa.selenium.interactions.Actions;

import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;

/**
 * What the browser tests ask of Chromium beyond a page: its viewport (a phone or a desktop), its network, the keyboard
 * as a person uses it (keys go to whatever has the focus), and the axe-core accessibility engine.
 */
final class Browser {

    /** A viewport of the tests: 390×844 is a common phone, 1440×900 a laptop. */
    record Viewport(String name, int width, int height, boolean mobile) {
    }

    static final Viewport PHONE = new Viewport("phone", 390, 844, true);
    static final Viewport DESKTOP = new Viewport("desktop", 1440, 900, false);

    private Browser() {
    }

    static Object cdp(WebDriver driver, String command, Map<String, Object> parameters) {
        return ((HasCdp) driver).executeCdpCommand(command, parameters);
    }

    static void viewport(WebDriver driver, Viewport viewport) {
        cdp(driver, "Emulation.setDeviceMetricsOverride", Map.of("width", viewport.width(), "height", viewport.height(),
                "deviceScaleFactor", 1, "mobile", viewport.mobile()));
    }

    static void resetViewport(WebDriver driver) {
        cdp(driver, "Emulation.clearDeviceMetricsOverride", Map.of());
    }

    /** Presses keys on whatever element has the focus, as a keyboard does. */
    static void press(WebDriver driver, CharSequence... keys) {
        new Actions(driver).sendKeys(keys).perform();
    }

    /**
     * Presses Tab (or Shift+Tab) until the focused element matches the CSS selector; fails if it is not reached
     * within {@code most} presses, which is what a keyboard user would find: an action that cannot be reached.
     */
    static void tabTo(WebDriver driver, String selector, boolean backwards, int most) {
        for (int n = 0; n < most; n++) {
            if (focusedMatches(driver, selector)) {
                return;
            }
            if (backwards) {
                // Shift held across the Tab: a chord typed through Actions.sendKeys presses and releases each key in
                // turn, so it was a plain Tab (the walk went forwards and only happened to arrive)
                new Actions(driver).keyDown(Keys.SHIFT).sendKeys(Keys.TAB).keyUp(Keys.SHIFT).perform();
            } else {
                press(driver, Keys.TAB);
            }
        }
        if (!focusedMatches(driver, selector)) {
            throw new AssertionError("Tab did not reach " + selector + " within " + most + " presses; focus is on "
                    + script(driver, "const e = document.activeElement; return e.outerHTML.slice(0, 200)"));
        }
    }

    static boolean focusedMatches(WebDriver driver, String selector) {
        return (Boolean) script(driver, "return document.activeElement?.matches(arguments[0]) ?? false", selector);
    }

    static Object script(WebDriver driver, String javascript, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(javascript, arguments);
    }

    /** The serious and critical axe-core violations of the page as it is now, one line each (empty: none). */
    static List<String> seriousAccessibilityViolations(WebDriver driver) {
        var results = new AxeBuilder().analyze(driver);
        if (results.getErrorMessage() != null) {
            throw new AssertionError("axe-core failed: " + results.getErrorMessage());
        }
        return results.getViolations().stream()
                .filter(rule -> "serious".equals(rule.getImpact()) || "critical".equals(rule.getImpact()))
                .map(Browser::describe)
                .toList();
    }

    private static String describe(Rule rule) {
        return rule.getImpact() + " " + rule.getId() + " (" + rule.getHelp() + "): " + rule.getNodes().stream()
                .map(node -> String.valueOf(node.getTarget()) + " " + node.getFailureSummary())
                .collect(Collectors.joining("; "));
    }
}
