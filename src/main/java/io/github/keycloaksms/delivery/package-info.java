/**
 * Internal: how a code reaches a gateway (routing, failover, in-flight limits, circuit breakers).
 * Not part of the SPI; may change in any release.
 */
package io.github.keycloaksms.delivery;
