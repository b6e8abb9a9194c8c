package io.github.keycloaksms.code;

import java.time.Duration;

/** How codes look and how long and how often they may be tried. */
public record CodePolicy(int codeLength, Duration ttl, int maxAttempts, Duration resendCooldown) {
}
