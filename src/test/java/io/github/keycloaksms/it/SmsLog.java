package io.github.keycloaksms.it;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the codes that the {@code log} gateway writes to the server log. */
public final class SmsLog {

    /** "SMS to +49 ••• •••• 89: ... @host #123456"; the bullets may reach us as '?' on a non-UTF-8 console. */
    private static final Pattern SMS_LINE = Pattern.compile("SMS to \\+(\\d{1,3}) \\S+ \\S+ (\\d\\d): .*#(\\d{6,8})\\s*$");

    private final KeycloakServer server;

    public SmsLog(KeycloakServer server) {
        this.server = server;
    }

    public int mark() {
        return server.mark();
    }

    /** The code of the first SMS to a number ending in {@code lastTwoDigits} written after {@code mark}. */
    public String awaitCode(int mark, String lastTwoDigits) {
        String line = server.awaitLine(mark, l -> matches(l, lastTwoDigits), Duration.ofSeconds(10))
                .orElseThrow(() -> new AssertionError("no SMS to a number ending in " + lastTwoDigits + " in the server log"));
        Matcher matcher = SMS_LINE.matcher(line);
        matcher.find();
        return matcher.group(3);
    }

    /** How many SMS were written after {@code mark}. */
    public long countSince(int mark) {
        List<String> lines = server.linesSince(mark);
        return lines.stream().filter(l -> SMS_LINE.matcher(l).find()).count();
    }

    /** How many SMS to a number ending in {@code lastTwoDigits} were written after {@code mark}. */
    public long countSince(int mark, String lastTwoDigits) {
        return server.linesSince(mark).stream().filter(l -> matches(l, lastTwoDigits)).count();
    }

    private static boolean matches(String line, String lastTwoDigits) {
        Matcher matcher = SMS_LINE.matcher(line);
        return matcher.find() && matcher.group(2).equals(lastTwoDigits);
    }
}
