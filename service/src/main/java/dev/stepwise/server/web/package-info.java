/**
 * HTTP plumbing shared by every feature: problem-detail errors, request body limits and gzip
 * decoding, and serving the single-page web app with client-side routing.
 */
package dev.stepwise.server.web;
