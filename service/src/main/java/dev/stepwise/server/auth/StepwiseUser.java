package dev.stepwise.server.auth;

import java.io.Serial;
import java.util.Collection;
import java.util.List;
import org.springframework.security.core.CredentialsContainer;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;

/** An authenticated person. The password hash is only present while authenticating. */
public final class StepwiseUser implements UserDetails, CredentialsContainer, StepwisePrincipal {

    @Serial
    private static final long serialVersionUID = 1L;

    private final long id;
    private final String username;
    private final boolean admin;
    private transient String passwordHash;

    StepwiseUser(long id, String username, boolean admin, String passwordHash) {
        this.id = id;
        this.username = username;
        this.admin = admin;
        this.passwordHash = passwordHash;
    }

    public long id() { return id; }

    public boolean admin() { return admin; }

    @Override
    public String getUsername() { return username; }

    @Override
    public String getPassword() { return passwordHash; }

    @Override
    public Collection<? extends GrantedAuthority> getAuthorities() {
        return admin ? List.of(new SimpleGrantedAuthority("ROLE_USER"), new SimpleGrantedAuthority("ROLE_ADMIN"))
                : List.of(new SimpleGrantedAuthority("ROLE_USER"));
    }

    @Override
    public String describe() { return username; }

    @Override
    public void eraseCredentials() { passwordHash = null; }
}
