package io.github.keycloaksms.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import io.github.keycloaksms.limits.SendLimits.Exceeded;
import io.github.keycloaksms.limits.SendLimits.Purpose;

class SendLimitsTest {

    private static final Instant NOW = Instant.parse("2026-11-28T10:15:00Z");
    private static final SendLimits.Policy POLICY = new SendLimits.Policy(Duration.ZERO, 5, 10, 10, 30, budgets(500, 1000), budgets(500, 1000));

    private final MemoryStore store = new MemoryStore();
    private final SendLimits limits = new SendLimits(store);

    private static SendLimits.Budgets budgets(int perCountryPerHour, int perRealmPerHour) {
        return new SendLimits.Budgets(perCountryPerHour, perRealmPerHour);
    }

    /** Each test its own realm: a node's hints of where free slots are outlive a test's store. */
    private final String realmId = "realm-" + UUID.randomUUID();

    private SendLimits.Subject subject(String login, String user, Purpose purpose, String number, String address) {
        return new SendLimits.Subject(realmId, login, user, purpose, number, 49, address);
    }

    @Test
    void enrollmentAttemptsOfAnotherAccountLeaveTheOwnersLoginCodesAlone() {
        for (int i = 0; i < 10; i++) {
            assertEquals(Optional.empty(), limits.claim(subject("attacker-login-" + i, "attacker-" + i, Purpose.ENROLLMENT,
                    "victim-number", "203.0.113." + i), POLICY, NOW));
        }
        assertEquals(Optional.of(Exceeded.NUMBER), limits.claim(subject("attacker-login-x", "attacker-x", Purpose.ENROLLMENT,
                "victim-number", "203.0.113.99"), POLICY, NOW));
        assertEquals(Optional.empty(), limits.claim(subject("victim-login", "victim", Purpose.LOGIN, "victim-number",
                "198.51.100.7"), POLICY, NOW));
    }

    @Test
    void phoneSignInsOfAVisitorLeaveTheOwnersLoginCodesAloneAndCountPerNumberWithoutAUser() {
        for (int i = 0; i < 10; i++) {
            assertEquals(Optional.empty(), limits.claim(subject("visitor-login-" + i, null, Purpose.PHONE_SIGN_IN,
                    "victim-number", "203.0.113." + i), POLICY, NOW));
        }
        assertEquals(Optional.of(Exceeded.NUMBER), limits.claim(subject("visitor-login-x", null, Purpose.PHONE_SIGN_IN,
                "victim-number", "203.0.113.99"), POLICY, NOW));
        assertEquals(Optional.empty(), limits.claim(subject("victim-login", "victim", Purpose.LOGIN, "victim-number",
                "198.51.100.7"), POLICY, NOW));
    }

    @Test
    void aClaimOfSomeLimitsLeavesTheOthersAlone() {
        SendLimits.Policy onePerAddress = new SendLimits.Policy(Duration.ZERO, 5, 10, 10, 1, budgets(500, 1000), budgets(500, 1000));
        Set<Exceeded> visitorOnly = EnumSet.of(Exceeded.COOLDOWN, Exceeded.LOGIN, Exceeded.CLIENT_IP, Exceeded.NUMBER);
        assertEquals(Optional.empty(), limits.claim(subject("l0", null, Purpose.RESET, "account-a", "a0"), onePerAddress, NOW, visitorOnly));
        assertEquals(Optional.of(Exceeded.CLIENT_IP),
                limits.claim(subject("l1", null, Purpose.RESET, "account-b", "a0"), onePerAddress, NOW, visitorOnly));
        Set<Exceeded> numberAndBudgets = EnumSet.of(Exceeded.USER, Exceeded.NUMBER, Exceeded.COUNTRY, Exceeded.REALM);
        assertEquals(Optional.empty(), limits.claim(subject("l0", "u0", Purpose.RESET, "number-a", "a0"), onePerAddress, NOW,
                numberAndBudgets), "the address's limit is not this claim's business");
    }

    @Test
    void aSendRefusedByALaterLimitGivesBackWhatItClaimed() {
        SendLimits.Policy tinyRealmBudget = new SendLimits.Policy(Duration.ZERO, 5, 10, 10, 30, budgets(500, 1), budgets(500, 1));
        assertEquals(Optional.empty(), limits.claim(subject("l0", "u0", Purpose.LOGIN, "n0", "a0"), tinyRealmBudget, NOW));
        for (int i = 0; i < 20; i++) {
            assertEquals(Optional.of(Exceeded.REALM),
                    limits.claim(subject("l1", "u1", Purpose.LOGIN, "n1", "a1"), tinyRealmBudget, NOW));
        }
        // nothing of the 20 refused sends stuck to the login, user, address or number
        assertEquals(Optional.empty(), limits.claim(subject("l1", "u1", Purpose.LOGIN, "n1", "a1"), POLICY, NOW));
        for (int i = 1; i < 5; i++) {
            assertEquals(Optional.empty(), limits.claim(subject("l1", "u1", Purpose.LOGIN, "n1", "a1"), POLICY, NOW), "send " + i);
        }
        assertEquals(Optional.of(Exceeded.LOGIN), limits.claim(subject("l1", "u1", Purpose.LOGIN, "n1", "a1"), POLICY, NOW));
    }

    @Test
    void theCallersOwnLimitsComeBeforeTheNumbersBudget() {
        SendLimits.Policy oneFromThisAddress = new SendLimits.Policy(Duration.ZERO, 5, 10, 10, 1, budgets(500, 1000), budgets(500, 1000));
        limits.claim(subject("l0", "u0", Purpose.ENROLLMENT, "n-other", "a0"), oneFromThisAddress, NOW);
        for (int i = 0; i < 20; i++) {
            assertEquals(Optional.of(Exceeded.CLIENT_IP),
                    limits.claim(subject("l" + i, "u" + i, Purpose.ENROLLMENT, "victim-number", "a0"), oneFromThisAddress, NOW));
        }
        for (int i = 0; i < 10; i++) {
            assertEquals(Optional.empty(), limits.claim(subject("v" + i, "victim", Purpose.ENROLLMENT, "victim-number", "a" + (i + 1)),
                    new SendLimits.Policy(Duration.ZERO, 5, 10, 10, 30, budgets(500, 1000), budgets(500, 1000)), NOW), "the victim's send " + i);
        }
    }

    @Test
    void visitorsUseUpTheirOwnBudgetsNotThoseOfUsersWhoGaveTheirPassword() {
        SendLimits.Policy twentyAnHour = new SendLimits.Policy(Duration.ZERO, 5, 10, 10, 30, budgets(500, 20), budgets(500, 20));
        for (int i = 0; i < 20; i++) {
            assertEquals(Optional.empty(), limits.claim(subject("s" + i, null, Purpose.PHONE_SIGN_IN, "unknown-" + i, "a" + i), twentyAnHour, NOW));
        }
        assertEquals(Optional.of(Exceeded.REALM), limits.claim(subject("s", null, Purpose.PHONE_SIGN_IN, "unknown", "a"), twentyAnHour, NOW));
        assertEquals(Optional.of(Exceeded.REALM), limits.claim(subject("r", "u1", Purpose.RESET, "account", "b"), twentyAnHour, NOW));
        assertEquals(Optional.empty(), limits.claim(subject("l", "u1", Purpose.LOGIN, "n1", "c"), twentyAnHour, NOW), "the second factor");
        assertEquals(Optional.empty(), limits.claim(subject("e", "u2", Purpose.ENROLLMENT, "n2", "d"), twentyAnHour, NOW), "enrollment");
    }

    @Test
    void resetsCountAgainstAUsersResetsNotTheirLogins() {
        for (int i = 0; i < 10; i++) {
            assertEquals(Optional.empty(), limits.claim(subject("r" + i, "alice", Purpose.RESET, "alice-number", "a" + i), POLICY, NOW));
        }
        assertEquals(Optional.of(Exceeded.USER), limits.claim(subject("r", "alice", Purpose.RESET, "alice-number", "a"), POLICY, NOW));
        assertEquals(Optional.empty(), limits.claim(subject("l", "alice", Purpose.LOGIN, "alice-number", "b"), POLICY, NOW), "her login");
    }

    @Test
    void aRefusedSendAtAFullLimitCostsAFewStoreOperations() {
        SendLimits.Policy fullAddress = new SendLimits.Policy(Duration.ofSeconds(30), 100, 100, 100, 100, budgets(100_000, 100_000), budgets(100_000, 100_000));
        for (int i = 0; i < 100; i++) {
            assertEquals(Optional.empty(), limits.claim(subject("l" + i, "u" + i, Purpose.LOGIN, "n" + i, "a0"), fullAddress, NOW));
        }
        store.operations.set(0);
        assertEquals(Optional.of(Exceeded.CLIENT_IP), limits.claim(subject("lx", "ux", Purpose.LOGIN, "nx", "a0"), fullAddress, NOW));
        // cooldown 1, login and user one claim each, the full address one read, 2 give-backs
        assertEquals(6, store.operations.get(), "operations: " + store.operations.get());
    }

    @Test
    void concurrentClaimsNeverExceedALimit() throws Exception {
        SendLimits.Policy sevenPerNumber = new SendLimits.Policy(Duration.ZERO, 100, 100, 7, 100, budgets(100_000, 100_000), budgets(100_000, 100_000));
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Optional<Exceeded>>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                results.add(pool.submit(() -> limits.claim(subject("l" + n, "u" + n, Purpose.LOGIN, "n", "a" + n), sevenPerNumber, NOW)));
            }
            int sent = 0;
            for (Future<Optional<Exceeded>> result : results) {
                sent += result.get().isEmpty() ? 1 : 0;
            }
            assertEquals(7, sent);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void windowsAreFixedAndANewOneStartsAfresh() {
        SendLimits.Policy onePerHourPerAddress = new SendLimits.Policy(Duration.ZERO, 5, 10, 10, 1, budgets(500, 1000), budgets(500, 1000));
        assertEquals(Optional.empty(), limits.claim(subject("l0", "u0", Purpose.LOGIN, "n0", "a0"), onePerHourPerAddress, NOW));
        assertEquals(Optional.of(Exceeded.CLIENT_IP),
                limits.claim(subject("l1", "u1", Purpose.LOGIN, "n1", "a0"), onePerHourPerAddress, NOW.plusSeconds(60)));
        assertEquals(Optional.empty(),
                limits.claim(subject("l2", "u2", Purpose.LOGIN, "n2", "a0"), onePerHourPerAddress, NOW.plus(Duration.ofHours(1))));
    }

    @Test
    void anIpv6ClientCountsByItsSlash64() {
        assertEquals(ClientAddress.of("2001:db8:1:2::1"), ClientAddress.of("2001:db8:1:2:ffff:eeee:dddd:cccc"));
        assertTrue(!ClientAddress.of("2001:db8:1:2::1").equals(ClientAddress.of("2001:db8:1:3::1")));
        assertEquals("203.0.113.5", ClientAddress.of("203.0.113.5"));
        assertEquals(ClientAddress.of("2001:db8:1:2::1"), ClientAddress.of("[2001:db8:1:2::9]"));
    }
}
