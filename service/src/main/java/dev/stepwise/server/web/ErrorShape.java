package dev.stepwise.server.web;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;

/**
 * A different error body for some requests, for errors answered outside the controllers (security
 * filters, body limits, content negotiation, the error page). An API that speaks another tool's
 * protocol (the MLflow-compatible API) implements it so that every error its clients see has
 * that tool's shape; everything else gets {@link Problems}' problem details.
 */
public interface ErrorShape {

    /** Whether this shape answers errors of {@code request}. */
    boolean appliesTo(HttpServletRequest request);

    /** The body for an error with {@code status} and a readable {@code detail}, written as JSON. */
    Object body(HttpStatus status, String detail);
}
