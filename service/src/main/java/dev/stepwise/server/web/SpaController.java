package dev.stepwise.server.web;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * Client-side routes of the web app: any GET for a path without a file extension outside the API
 * and operations endpoints answers the app's {@code index.html}, so deep links and reloads work.
 */
@Controller
class SpaController {

    @GetMapping({"/", "/{path:^(?!api|actuator|v3|swagger-ui|assets)[^.]*}",
            "/{path:^(?!api|actuator|v3|swagger-ui|assets)[^.]*}/**"})
    String index() {
        return "forward:/index.html";
    }
}
