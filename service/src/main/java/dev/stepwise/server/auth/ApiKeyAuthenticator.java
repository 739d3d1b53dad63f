package dev.stepwise.server.auth;

import java.util.Optional;

/**
 * Checks a presented project API key. Authentication owns the filter that reads
 * {@code Authorization: Bearer}; the access module, which owns the keys, implements this.
 */
public interface ApiKeyAuthenticator {

    /** The key's principal when {@code presented} is a known, unrevoked, unexpired key; empty otherwise. */
    Optional<ApiKeyPrincipal> authenticate(String presented);
}
