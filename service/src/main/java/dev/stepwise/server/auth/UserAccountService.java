package dev.stepwise.server.auth;

import dev.stepwise.server.audit.AuditLog;
import dev.stepwise.server.web.ProblemException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** User accounts: creation by admins, lookup for memberships and login. */
@Service
public class UserAccountService {

    /** A user as other features see it. */
    public record UserInfo(long id, String username, String displayName, boolean admin, Instant createdAt) {}

    private final UserAccountRepository users;
    private final PasswordEncoder passwordEncoder;
    private final AuditLog auditLog;

    UserAccountService(UserAccountRepository users, PasswordEncoder passwordEncoder, AuditLog auditLog) {
        this.users = users;
        this.passwordEncoder = passwordEncoder;
        this.auditLog = auditLog;
    }

    @Transactional
    public UserInfo create(String username, String password, String displayName, boolean admin, String actor) {
        if (users.existsByUsername(username)) {
            throw ProblemException.conflict("User '" + username + "' already exists");
        }
        UserAccount account = users.save(new UserAccount(username, displayName, passwordEncoder.encode(password), admin));
        auditLog.record(AuditLog.USER_CREATED, actor, null, username, Map.of("admin", admin));
        return info(account);
    }

    @Transactional(readOnly = true)
    public List<UserInfo> list() {
        return users.findAllByOrderByUsernameAsc().stream().map(UserAccountService::info).toList();
    }

    @Transactional(readOnly = true)
    public Optional<UserInfo> findByUsername(String username) {
        return users.findByUsername(username).map(UserAccountService::info);
    }

    @Transactional(readOnly = true)
    public Map<Long, String> usernames(Collection<Long> ids) {
        Map<Long, String> names = new HashMap<>();
        users.findAllById(ids).forEach(u -> names.put(u.getId(), u.getUsername()));
        return names;
    }

    @Transactional(readOnly = true)
    public boolean anyUserExists() {
        return users.count() > 0;
    }

    private static UserInfo info(UserAccount account) {
        return new UserInfo(account.getId(), account.getUsername(), account.getDisplayName(), account.isAdmin(),
                account.getCreatedAt());
    }
}
