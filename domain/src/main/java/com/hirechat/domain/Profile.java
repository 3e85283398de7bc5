package com.hirechat.domain;

import java.net.URI;
import java.net.URISyntaxException;

/** How a user appears in the chat: name, picture and role on the job board. {@code avatarUrl} may be null. */
public record Profile(String displayName, String avatarUrl, ProfileRole role) {

    public static final int MAX_NAME_LENGTH = 100;
    public static final int MAX_URL_LENGTH = 500;

    public Profile {
        if (displayName == null || displayName.isBlank() || displayName.length() > MAX_NAME_LENGTH) {
            throw new DomainRuleViolation(DomainError.INVALID_PROFILE,
                    "displayName is 1-" + MAX_NAME_LENGTH + " characters");
        }
        displayName = displayName.strip();
        if (avatarUrl != null && !isWebUrl(avatarUrl)) {
            throw new DomainRuleViolation(DomainError.INVALID_PROFILE,
                    "avatarUrl is an http(s) URL of at most " + MAX_URL_LENGTH + " characters");
        }
        if (role == null) {
            throw new DomainRuleViolation(DomainError.INVALID_PROFILE, "role is required");
        }
    }

    private static boolean isWebUrl(String url) {
        if (url.length() > MAX_URL_LENGTH) {
            return false;
        }
        try {
            var uri = new URI(url);
            return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
