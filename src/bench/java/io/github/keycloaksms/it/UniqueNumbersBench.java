package io.github.keycloaksms.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;


/**
 * How long the enrollment step that checks {@code uniqueNumbers} takes with 1,000, 10,000 and
 * 100,000 enrolled users in the realm, on a production-mode Keycloak with PostgreSQL. The lookup goes
 * through the indexed user attribute, so the time should not grow with the number of users.
 * A benchmark, run with {@code ./mvnw -Pbench verify}; it reports, it does not judge.
 */
class UniqueNumbersBench {

    private static final String DATABASE = "keycloak_sms_bench";
    private static final int[] ENROLLED_USERS = {1_000, 10_000, 100_000};
    private static final int ENROLLMENTS_PER_SIZE = 20;
    private static final int WARM_UP = 10;

    private static KeycloakServer node;
    private static SmsLog sms;
    private static TestRealm realm;
    private static int enrolled;
    private static int nextNumber;

    @BeforeAll
    static void start() {
        ClusterNodes.freshDatabase(DATABASE);
        node = ClusterNodes.node("bench", DATABASE, 8381, 9381, 7830, KeycloakServer.LOG_GATEWAY_IN_PRODUCTION);
        node.start();
        sms = new SmsLog(node);
        realm = TestRealm.create(node, "bench", r -> {
            r.setBruteForceProtected(false);
            Map<String, String> config = TestRealm.smsConfig(r);
            config.put("uniqueNumbers", "true");
            config.put("resendCooldown", "0");
            config.put("maxSendsPerIpPerHour", "100");
        });
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.stop();
        }
    }

    @Test
    void enrollmentTimeAgainstEnrolledUsers() throws IOException, SQLException {
        for (int i = 0; i < WARM_UP; i++) {
            enrollAndTimeTheCheck();
        }
        List<String> report = new ArrayList<>(List.of(
                "| users with an enrolled number | code check + uniqueness lookup + store, median | p90 |", "|---|---|---|"));
        for (int size : ENROLLED_USERS) {
            seedUpTo(size);
            List<Long> millis = new ArrayList<>();
            for (int i = 0; i < ENROLLMENTS_PER_SIZE; i++) {
                millis.add(enrollAndTimeTheCheck());
            }
            millis.sort(Long::compare);
            report.add("| " + String.format("%,d", size) + " | " + millis.get(millis.size() / 2) + " ms | "
                    + millis.get(millis.size() * 9 / 10) + " ms |");
            System.out.println("[bench] " + report.get(report.size() - 1));
        }
        report.add("");
        report.add("PostgreSQL's plan for the lookup at " + String.format("%,d", enrolled) + " users:");
        report.add("");
        report.add(lookupPlan());
        Path out = Path.of("target", "bench", "unique-numbers.md");
        Files.createDirectories(out.getParent());
        Files.write(out, report);
        System.out.println("[bench] written to " + out.toAbsolutePath());
    }

    /**
     * Adds users that each hold an index, as enrolled users do, until the realm has {@code size}.
     * Written straight into Keycloak's tables, in the shape Keycloak writes them: importing 100,000
     * users through the admin API would take most of an hour.
     */
    private static void seedUpTo(int size) throws SQLException {
        String realmId = realm.admin().get("/admin/realms/" + realm.name()).json().get("id").asText();
        int count = size - enrolled;
        try (Connection db = ClusterNodes.connect(DATABASE)) {
            db.setAutoCommit(false);
            try (PreparedStatement users = db.prepareStatement("""
                    INSERT INTO user_entity (id, email_verified, enabled, realm_id, username, created_timestamp, not_before)
                    SELECT gen_random_uuid()::text, false, true, ?, 'seeded-' || (? + n), 0, 0 FROM generate_series(1, ?) AS n""");
                 PreparedStatement indexes = db.prepareStatement("""
                    INSERT INTO user_attribute (id, name, value, user_id)
                    SELECT gen_random_uuid()::text, 'smsNumberIndex',
                           translate(encode(sha256(random()::text::bytea), 'base64'), '+/=', '-_'), id
                    FROM user_entity WHERE realm_id = ? AND username LIKE 'seeded-%'
                      AND NOT EXISTS (SELECT 1 FROM user_attribute a WHERE a.user_id = user_entity.id)""")) {
                users.setString(1, realmId);
                users.setInt(2, enrolled);
                users.setInt(3, count);
                users.executeUpdate();
                indexes.setString(1, realmId);
                indexes.executeUpdate();
            }
            db.commit();
            try (Statement analyze = db.createStatement()) {
                analyze.execute("ANALYZE user_entity");
                analyze.execute("ANALYZE user_attribute");
            }
        }
        enrolled = size;
    }

    /** How PostgreSQL runs Keycloak's lookup of users by attribute value. */
    private static String lookupPlan() throws SQLException {
        try (Connection db = ClusterNodes.connect(DATABASE);
             Statement explain = db.createStatement();
             ResultSet plan = explain.executeQuery(
                     "EXPLAIN SELECT user_id FROM user_attribute WHERE name = 'smsNumberIndex' AND value = 'x'")) {
            StringBuilder text = new StringBuilder();
            while (plan.next()) {
                text.append("    ").append(plan.getString(1)).append('\n');
            }
            return text.toString();
        }
    }

    /** Enrolls a new user with a new number; returns how long the code submission took. */
    private static long enrollAndTimeTheCheck() {
        String username = "bench-" + nextNumber;
        String phone = "+49 151 6" + String.format("%07d", nextNumber);
        nextNumber++;
        realm.createUser(username);
        try (Browser browser = new Browser()) {
            browser.open(realm.authUrl()).login(username, TestRealm.PASSWORD);
            int mark = sms.mark();
            browser.fill("phone", phone).submit("send");
            String code = sms.awaitCode(mark, phone.substring(phone.length() - 2));
            browser.fill("code", code);
            long start = System.nanoTime();
            browser.submit("verify");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(browser.isLoggedIn(), browser.text());
            return millis;
        }
    }
}
