package dev.stepwise.server.auth;

import dev.stepwise.server.auth.UserAccountService.UserInfo;
import dev.stepwise.server.web.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/users")
@Tag(name = "users", description = "User accounts (server admins only)")
class UserController {

    record CreateUserRequest(
            @NotBlank @Pattern(regexp = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$",
                    message = "must be 1-64 letters, digits, '.', '_' or '-'") String username,
            @NotBlank @Size(min = 8, max = 200, message = "must be 8 to 200 characters") String password,
            @Size(max = 200) String displayName,
            Boolean admin) {}

    record UserResponse(String username, String displayName, boolean admin, Instant createdAt) {
        static UserResponse of(UserInfo user) {
            return new UserResponse(user.username(), user.displayName(), user.admin(), user.createdAt());
        }
    }

    record UserList(List<UserResponse> users) {}

    private final UserAccountService users;

    UserController(UserAccountService users) {
        this.users = users;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a user (admin only); 409 if the username is taken")
    UserResponse create(@Valid @RequestBody CreateUserRequest body) {
        StepwiseUser admin = requireAdmin();
        return UserResponse.of(users.create(body.username(), body.password(), body.displayName(),
                Boolean.TRUE.equals(body.admin()), admin.describe()));
    }

    @GetMapping
    @Operation(summary = "List users (admin only)")
    UserList list() {
        requireAdmin();
        return new UserList(users.list().stream().map(UserResponse::of).toList());
    }

    private static StepwiseUser requireAdmin() {
        StepwiseUser user = CurrentPrincipal.user();
        if (!user.admin()) {
            throw ProblemException.forbidden("Only server admins manage users");
        }
        return user;
    }
}
