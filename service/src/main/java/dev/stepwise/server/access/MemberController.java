package dev.stepwise.server.access;


import dev.stepwise.server.access.MembershipService.Member;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/projects/{slug}/members")
@Tag(name = "members", description = "Project members and roles")
class MemberController {

    record PutMemberRequest(@NotNull ProjectRole role) {}

    record MemberList(List<Member> members) {}

    private final ProjectAccess access;
    private final MembershipService memberships;

    MemberController(ProjectAccess access, MembershipService memberships) {
        this.access = access;
        this.memberships = memberships;
    }

    @GetMapping
    @Operation(summary = "List members (READER+)")
    MemberList list(@PathVariable String slug) {
        return new MemberList(memberships.list(access.require(slug, Permission.READ).projectId()));
    }

    @PutMapping("/{username}")
    @Operation(summary = "Add a member or change a role (OWNER); 409 when demoting the last OWNER")
    Member put(@PathVariable String slug, @PathVariable String username, @Valid @RequestBody PutMemberRequest body) {
        ProjectAccess.Granted granted = access.require(slug, Permission.MANAGE);
        return memberships.put(granted.projectId(), username, body.role(), granted.principal().describe());
    }

    @DeleteMapping("/{username}")
    @Operation(summary = "Remove a member (OWNER); 409 for the last OWNER")
    ResponseEntity<Void> remove(@PathVariable String slug, @PathVariable String username) {
        ProjectAccess.Granted granted = access.require(slug, Permission.MANAGE);
        memberships.remove(granted.projectId(), username, granted.principal().describe());
        return ResponseEntity.noContent().build();
    }
}
