package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

import org.junit.jupiter.api.Test;

/** What the server says it listens on, and where it says to open it. */
class ServedAddressTest {

    @Test
    void theDefaultHostIsPrintedAsTheLoopbackAddressItBindsNotAsLocalhost() {
        var address = ServedAddress.of("127.0.0.1", 8080);

        assertThat(address.everyInterface()).isFalse();
        assertThat(address.listening()).isEqualTo("127.0.0.1:8080");
        assertThat(address.uri()).isEqualTo(URI.create("http://127.0.0.1:8080/"));
        assertThat(address.howToOpen()).isEqualTo("open http://127.0.0.1:8080/");
    }

    @Test
    void everyInterfaceSaysSoAndOpensTheLoopbackAddressOnThisMachine() {
        var address = ServedAddress.of("0.0.0.0", 8080);

        assertThat(address.everyInterface()).isTrue();
        assertThat(address.listening()).isEqualTo("0.0.0.0:8080");
        assertThat(address.uri()).isEqualTo(URI.create("http://127.0.0.1:8080/"));
        assertThat(address.howToOpen()).startsWith("listening on every network interface (0.0.0.0:8080): "
                + "open http://127.0.0.1:8080/ on this machine");
    }

    @Test
    void anIpv6AddressIsBracketedInTheUri() {
        var address = ServedAddress.of("::1", 8080);

        assertThat(address.uri()).isEqualTo(URI.create("http://[0:0:0:0:0:0:0:1]:8080/"));
        assertThat(address.listening()).isEqualTo("[0:0:0:0:0:0:0:1]:8080");
    }
}
