package com.hirechat.web;

/** A request or frame refused with a stable code; the HTTP status applies when it arrived over HTTP. */
public final class ApiException extends RuntimeException {

    private final String code;
    private final int status;

    public ApiException(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public static ApiException badRequest(String code, String message) {
        return new ApiException(400, code, message);
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }
}
