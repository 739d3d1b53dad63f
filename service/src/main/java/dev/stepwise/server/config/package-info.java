/** Typed service configuration ({@code stepwise.*} properties and their environment variables). */
package dev.stepwise.server.config;
