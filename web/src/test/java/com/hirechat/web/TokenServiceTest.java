package com.hirechat.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPairGenerator;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.hirechat.domain.UserId;

/** Issuer and audience: checked when configured, and carried by the tokens this service mints itself. */
class TokenServiceTest {

    private static final TokenService.Issuance CHAT = new TokenService.Issuance("https://jobs.example", "hirechat");
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    private static final UserId SEEKER = UserId.of("seeker-99");

    @Test
    void theDevelopmentLoginsTokensPassItsOwnIssuerAndAudienceChecks() throws Exception {
        var development = TokenService.withRandomSecret(CHAT);
        assertThat(development.verify(development.mint(SEEKER, Set.of("user")))).hasValueSatisfying(
                principal -> assertThat(principal.user()).isEqualTo(SEEKER));

        var generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        var hostSiteAndDevelopment = TokenService.publicKeyAndDevelopmentSecret(generator.generateKeyPair().getPublic(),
                TokenService.randomSecret(), CHAT);
        assertThat(hostSiteAndDevelopment.verify(hostSiteAndDevelopment.mint(SEEKER, Set.of("user")))).isPresent();
    }

    @Test
    void aTokenOfAnotherIssuerOrForAnotherServiceIsRefused() {
        var checking = TokenService.hmac(SECRET, CHAT);
        assertThat(checking.verify(TokenService.hmac(SECRET, CHAT).mint(SEEKER, Set.of()))).isPresent();

        var unchecked = TokenService.hmac(SECRET).mint(SEEKER, Set.of());
        var otherIssuer = TokenService.hmac(SECRET, new TokenService.Issuance("https://evil.example", "hirechat"))
                .mint(SEEKER, Set.of());
        var otherService = TokenService.hmac(SECRET, new TokenService.Issuance("https://jobs.example", "billing"))
                .mint(SEEKER, Set.of());
        assertThat(checking.verify(unchecked)).as("neither iss nor aud").isEmpty();
        assertThat(checking.verify(otherIssuer)).isEmpty();
        assertThat(checking.verify(otherService)).isEmpty();
        // without configuration nothing is checked: the local run and tests
        assertThat(TokenService.hmac(SECRET).verify(otherService)).isPresent();
    }
}
