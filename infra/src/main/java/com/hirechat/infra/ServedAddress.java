package com.hirechat.infra;

import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * The address the server listens on, as the web server resolved {@code HIRECHAT_HOST}, and the address to open in a
 * browser on this machine.
 *
 * @param bound the address listened on, e.g. {@code 127.0.0.1}, or {@code 0.0.0.0} for every interface
 * @param port  the port listened on
 */
record ServedAddress(InetAddress bound, int port) {

    /** What listening on {@code host} binds to: the web server binds to the host's first address, as resolved here. */
    static ServedAddress of(String host, int port) {
        try {
            return new ServedAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether it listens on every interface ({@code 0.0.0.0} or {@code ::}). */
    boolean everyInterface() {
        return bound.isAnyLocalAddress();
    }

    /** Where a client on this machine reaches it: the bound address, or the loopback one when that is every interface. */
    URI uri() {
        return URI.create("http://" + literal(everyInterface() ? InetAddress.getLoopbackAddress() : bound) + ":" + port
                + "/");
    }

    /** The bound address and port, e.g. {@code 127.0.0.1:8080} or {@code [::1]:8080}. */
    String listening() {
        return literal(bound) + ":" + port;
    }

    /** One line for a person starting the server: what to open, and for every interface, that others can reach it. */
    String howToOpen() {
        return everyInterface()
                ? "listening on every network interface (" + listening() + "): open " + uri()
                        + " on this machine, or this machine's address from others"
                : "open " + uri();
    }

    private static String literal(InetAddress address) {
        return address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
    }
}
