package com.hirechat.infra;

import java.util.List;
import java.util.Map;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chromium.HasCdp;

/**
 * What a page asks of the network, recorded inside the page: every {@code fetch} (path and time), every WebSocket it
 * creates and every frame sent on one. The recorder is given to Chromium through the DevTools protocol, which runs it
 * in each new document before any of the page's own scripts, so the chat client's very first request is counted. The
 * server cannot tell two pollers of one tab from two tabs; the page can.
 */
final class NetworkLog implements AutoCloseable {

    /** Positions in the log: what happened after a mark is what a step of the test caused. */
    record Mark(int fetches, int sockets, int frames) {
    }

    private static final String GLOBAL = "window.__hirechatNetwork";
    private static final String RECORDER = """
            (() => {
              const log = { fetches: [], sockets: [], frames: [] };
              Object.defineProperty(window, '__hirechatNetwork', { value: log });
              const realFetch = window.fetch;
              window.fetch = function (input, init) {
                const url = new URL(input instanceof Request ? input.url : String(input), location.href);
                log.fetches.push({ path: url.pathname, at: performance.now() });
                return realFetch.call(this, input, init);
              };
              window.WebSocket = class extends window.WebSocket {
                constructor(...args) {
                  super(...args);
                  log.sockets.push(this);
                }
                send(data) {
                  log.frames.push(String(data));
                  return super.send(data);
                }
              };
            })();""";

    private final WebDriver driver;
    private final String identifier;

    private NetworkLog(WebDriver driver, String identifier) {
        this.driver = driver;
        this.identifier = identifier;
    }

    /** Records in every document the browser opens from now on, until {@link #close()}. */
    static NetworkLog install(WebDriver driver) {
        var added = ((HasCdp) driver).executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", RECORDER));
        return new NetworkLog(driver, (String) added.get("identifier"));
    }

    Mark mark() {
        List<?> counts = (List<?>) script("const log = " + GLOBAL
                + "; return [log.fetches.length, log.sockets.length, log.frames.length];");
        return new Mark(number(counts.get(0)).intValue(), number(counts.get(1)).intValue(), number(counts.get(2)).intValue());
    }

    /** Paths of every request since the mark, in order. */
    List<String> fetchesSince(Mark mark) {
        return strings(script("return " + GLOBAL + ".fetches.slice(arguments[0]).map(f => f.path);", mark.fetches()));
    }

    /** When each request to {@code path} since the mark was made, in milliseconds of the page's clock. */
    List<Double> timesOf(String path, Mark mark) {
        List<?> times = (List<?>) script("return " + GLOBAL
                + ".fetches.slice(arguments[0]).filter(f => f.path === arguments[1]).map(f => f.at);", mark.fetches(), path);
        return times.stream().map(t -> number(t).doubleValue()).toList();
    }

    int socketsSince(Mark mark) {
        return mark().sockets() - mark.sockets();
    }

    /** Sockets of the page that are connecting or open (not closing or closed). */
    int liveSockets() {
        return number(script("return " + GLOBAL + ".sockets.filter(s => s.readyState <= 1).length;")).intValue();
    }

    /** Every frame sent on any socket since the mark, as sent. */
    List<String> framesSince(Mark mark) {
        return strings(script("return " + GLOBAL + ".frames.slice(arguments[0]);", mark.frames()));
    }

    @Override
    public void close() {
        ((HasCdp) driver).executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument", Map.of("identifier", identifier));
    }

    private Object script(String javascript, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(javascript, arguments);
    }

    private static Number number(Object value) {
        return (Number) value;
    }

    private static List<String> strings(Object list) {
        return ((List<?>) list).stream().map(String.class::cast).toList();
    }
}
