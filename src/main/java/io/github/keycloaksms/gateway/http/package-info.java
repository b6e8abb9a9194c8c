/**
 * Internal: the HTTP client, outbound policy and egress proxies behind
 * {@link io.github.keycloaksms.gateway.GatewayHttp}. Not part of the SPI; may change in any release.
 */
package io.github.keycloaksms.gateway.http;
