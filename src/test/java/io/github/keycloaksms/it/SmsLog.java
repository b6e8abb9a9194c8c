package io.github.keycloaksms.it;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Reads the codes that the {@code log} gateway writes to the server log. */
public final class SmsLog {

    /** "... SMS to +49 ••• •••• 89:", then the text on indented lines; the bullets may reach us as '?' on a non-UTF-8 console. */
    private static final Pattern SMS_LINE = Pattern.compile("SMS to \\+(\\d{1,3}) \\S+ \\S+ (\\d\\d):\\s*$");
    private static final String INDENT = "    ";
    /** The text's last line: "@host #123456". */
    private static final Pattern CODE_LINE = Pattern.compile("^" + INDENT + ".*#(\\d{6,8})\\s*$");

    private final KeycloakServer server;

    public SmsLog(KeycloakServer server) {
        this.server = server;
    }

    public int mark() {
        return server.mark();
    }

    /** The code of the first SMS to a number ending in {@code lastTwoDigits} written after {@code mark}. */
    public String awaitCode(int mark, String lastTwoDigits) {
        List<String> lines = awaitSms(mark, lastTwoDigits);
        Matcher matcher = CODE_LINE.matcher(lines.get(lines.size() - 1));
        matcher.find();
        return matcher.group(1);
    }

    /** The text of that SMS, as its recipient would read it. */
    public String awaitText(int mark, String lastTwoDigits) {
        List<String> lines = awaitSms(mark, lastTwoDigits);
        return lines.subList(1, lines.size()).stream().map(line -> line.substring(INDENT.length())).collect(Collectors.joining("\n"));
    }

    /** The SMS's lines in the log, from the one that names the number to the one with the code. */
    private List<String> awaitSms(int mark, String lastTwoDigits) {
        return server.awaitLines(mark, l -> matches(l, lastTwoDigits), l -> CODE_LINE.matcher(l).find(), Duration.ofSeconds(10))
                .orElseThrow(() -> new AssertionError("no SMS to a number ending in " + lastTwoDigits + " in the server log"));
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
