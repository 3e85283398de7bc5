package com.hirechat.infra.notify;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

import com.hirechat.infra.ConfigException;

/**
 * Email digest settings ({@code HIRECHAT_SMTP_*}, {@code HIRECHAT_NOTIFY_*}, {@code HIRECHAT_PUBLIC_URL}; see
 * docs/configuration.md). Where mail goes: an SMTP server when one is configured; else, in the development run only,
 * a capture shown at {@code /dev/mail}; else nowhere (notifications off, logged once at start).
 */
public record NotifyConfig(Optional<Smtp> smtp, boolean capture, boolean includeText, Duration defaultDelay,
                           Duration retryBackoff, Optional<URI> publicUrl, Optional<byte[]> secret) {

    public static final Duration DEFAULT_DELAY = Duration.ofMinutes(10);
    public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofSeconds(30);
    static final int MIN_SECRET_BYTES = 32;

    /** An SMTP server; {@code startTls} true requires STARTTLS before any credential or message is sent. */
    public record Smtp(String host, int port, Optional<String> username, Optional<String> password,
                       InternetAddress from, boolean startTls) {

        @Override
        public String toString() {
            return host + ":" + port + (username.isPresent() ? " as " + username.get() : "")
                    + (startTls ? " (STARTTLS required)" : " (no TLS)");
        }
    }

    /** Whether digests are sent (or captured) at all. */
    public boolean enabled() {
        return smtp.isPresent() || capture;
    }

    public static NotifyConfig from(Map<String, String> env, boolean developmentRun) {
        var host = value(env, "HIRECHAT_SMTP_HOST");
        Optional<Smtp> smtp = Optional.empty();
        for (var dependent : new String[] {"HIRECHAT_SMTP_PORT", "HIRECHAT_SMTP_USERNAME", "HIRECHAT_SMTP_PASSWORD",
                "HIRECHAT_SMTP_FROM", "HIRECHAT_SMTP_STARTTLS"}) {
            if (host.isEmpty() && value(env, dependent).isPresent()) {
                throw new ConfigException(dependent, "needs HIRECHAT_SMTP_HOST as well");
            }
        }
        if (host.isPresent()) {
            var startTls = value(env, "HIRECHAT_SMTP_STARTTLS").map(text -> bool("HIRECHAT_SMTP_STARTTLS", text))
                    .orElse(true);
            var port = value(env, "HIRECHAT_SMTP_PORT").map(NotifyConfig::port).orElse(startTls ? 587 : 25);
            var username = value(env, "HIRECHAT_SMTP_USERNAME");
            var password = value(env, "HIRECHAT_SMTP_PASSWORD");
            if (username.isPresent() != password.isPresent()) {
                throw new ConfigException(username.isPresent() ? "HIRECHAT_SMTP_PASSWORD" : "HIRECHAT_SMTP_USERNAME",
                        "is required with " + (username.isPresent() ? "HIRECHAT_SMTP_USERNAME" : "HIRECHAT_SMTP_PASSWORD"));
            }
            if (!host.get().matches("[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?")) {
                throw new ConfigException("HIRECHAT_SMTP_HOST", "must be a host name or IPv4 address, was '"
                        + host.get() + "'");
            }
            var from = value(env, "HIRECHAT_SMTP_FROM").map(NotifyConfig::address).orElseThrow(() ->
                    new ConfigException("HIRECHAT_SMTP_FROM", "is required with HIRECHAT_SMTP_HOST, e.g. "
                            + "'HireChat <chat@jobs.example.com>'"));
            smtp = Optional.of(new Smtp(host.get(), port, username, password, from, startTls));
        }
        var includeText = value(env, "HIRECHAT_NOTIFY_INCLUDE_TEXT")
                .map(text -> bool("HIRECHAT_NOTIFY_INCLUDE_TEXT", text)).orElse(false);
        var delay = value(env, "HIRECHAT_NOTIFY_DELAY").map(text -> duration("HIRECHAT_NOTIFY_DELAY", text,
                Duration.ofSeconds(1), Duration.ofDays(1))).orElse(DEFAULT_DELAY);
        var backoff = value(env, "HIRECHAT_NOTIFY_RETRY_BACKOFF").map(text -> duration(
                "HIRECHAT_NOTIFY_RETRY_BACKOFF", text, Duration.ofMillis(100), Duration.ofHours(1)))
                .orElse(DEFAULT_RETRY_BACKOFF);
        var publicUrl = value(env, "HIRECHAT_PUBLIC_URL").map(NotifyConfig::publicUrl);
        var secret = value(env, "HIRECHAT_NOTIFY_SECRET").map(text -> {
            var bytes = text.getBytes(StandardCharsets.UTF_8);
            if (bytes.length < MIN_SECRET_BYTES) {
                throw new ConfigException("HIRECHAT_NOTIFY_SECRET", "must be at least " + MIN_SECRET_BYTES + " bytes");
            }
            return bytes;
        });
        return new NotifyConfig(smtp, smtp.isEmpty() && developmentRun, includeText, delay, backoff, publicUrl,
                secret);
    }

    private static InternetAddress address(String text) {
        try {
            var address = new InternetAddress(text, true);
            address.validate();
            return address;
        } catch (AddressException e) {
            throw new ConfigException("HIRECHAT_SMTP_FROM", "must be an email address, was '" + text + "'");
        }
    }

    private static URI publicUrl(String text) {
        try {
            var uri = URI.create(text.endsWith("/") ? text : text + "/");
            if (("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null
                    && uri.getQuery() == null && uri.getFragment() == null) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new ConfigException("HIRECHAT_PUBLIC_URL", "must be the http(s) URL users reach the chat at, e.g. "
                + "https://chat.example.com, was '" + text + "'");
    }

    private static Duration duration(String key, String text, Duration min, Duration max) {
        try {
            var duration = Duration.parse(text);
            if (duration.compareTo(min) >= 0 && duration.compareTo(max) <= 0) {
                return duration;
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        throw new ConfigException(key, "must be an ISO-8601 duration from " + min + " to " + max + ", was '" + text + "'");
    }

    private static int port(String text) {
        try {
            var port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException("HIRECHAT_SMTP_PORT", "must be a port number 1-65535, was '" + text + "'");
    }

    private static boolean bool(String key, String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new ConfigException(key, "must be true or false, was '" + text + "'");
        };
    }

    private static Optional<String> value(Map<String, String> env, String key) {
        return Optional.ofNullable(env.get(key)).map(String::strip).filter(text -> !text.isEmpty());
    }
}
