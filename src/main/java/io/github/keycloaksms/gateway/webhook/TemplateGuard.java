package io.github.keycloaksms.gateway.webhook;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Admits only body templates that cannot hurt the server: interpolations ({@code ${user.email}})
 * and {@code <#if>} conditions over the message's variables, with a handful of built-ins that
 * cannot grow a value. No loops, assignments, macros, functions, ranges or padding, so rendering
 * takes time and memory in proportion to the template, which is itself limited in size.
 */
final class TemplateGuard {

    static final int MAX_LENGTH = 4096;

    /** What may stand inside {@code ${...}} and {@code <#if ...>}: names, comparisons, literals, safe built-ins. */
    private static final Pattern TOKEN = Pattern.compile(
            "\\s+"
            + "|[A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z_][A-Za-z0-9_]*)*"
            + "|\\?(?:has_content|c|trim|upper_case|lower_case|length)(?![A-Za-z0-9_])|\\?\\?"
            + "|==|!=|&&|\\|\\||!|\\(|\\)"
            + "|\"(?:[^\"\\\\$]|\\\\.|\\$(?!\\{))*\"|'(?:[^'\\\\$]|\\\\.|\\$(?!\\{))*'"
            + "|[0-9]+");

    private static final Pattern DIRECTIVE = Pattern.compile("<#if\\s|<#elseif\\s|<#else>|</#if>|<#--");
    private static final Pattern FORBIDDEN_START = Pattern.compile("<#|</#|<@|</@|\\[#|\\[/#|\\[@|\\[=|#\\{");

    private TemplateGuard() {
    }

    static void check(String template) throws WebhookBody.InvalidTemplateException {
        if (template.length() > MAX_LENGTH) {
            throw new WebhookBody.InvalidTemplateException("is longer than " + MAX_LENGTH + " characters");
        }
        int i = 0;
        while (i < template.length()) {
            if (template.startsWith("${", i)) {
                i = checkExpression(template, i + 2, '}');
            } else if (template.startsWith("<#--", i)) {
                int end = template.indexOf("-->", i);
                if (end < 0) {
                    throw refused(template, i, "a comment <#-- is not closed with -->");
                }
                i = end + 3;
            } else if (template.startsWith("<#else>", i) || template.startsWith("</#if>", i)) {
                i = template.indexOf('>', i) + 1;
            } else if (template.startsWith("<#if", i) || template.startsWith("<#elseif", i)) {
                Matcher directive = DIRECTIVE.matcher(template).region(i, template.length());
                if (!directive.lookingAt()) {
                    throw refused(template, i, "a directive must be written <#if condition>");
                }
                i = checkExpression(template, directive.end(), '>');
            } else if (FORBIDDEN_START.matcher(template).region(i, template.length()).lookingAt()) {
                throw refused(template, i, "only ${...} and <#if>/<#elseif>/<#else></#if> are allowed, not "
                        + snippet(template, i));
            } else {
                i++;
            }
        }
    }

    /** Checks tokens from {@code start} up to the closing character; returns the index after it. */
    private static int checkExpression(String template, int start, char close) throws WebhookBody.InvalidTemplateException {
        Matcher token = TOKEN.matcher(template);
        int i = start;
        while (i < template.length() && template.charAt(i) != close) {
            token.region(i, template.length());
            if (!token.lookingAt()) {
                throw refused(template, i, "'" + snippet(template, i) + "' is not allowed in a template expression; "
                        + "use variable names, ==, !=, &&, ||, !, ??, quotes and ?has_content, ?c, ?trim, ?upper_case, "
                        + "?lower_case, ?length");
            }
            i = token.end();
        }
        if (i >= template.length()) {
            throw refused(template, start, "'" + close + "' is missing");
        }
        return i + 1;
    }

    private static WebhookBody.InvalidTemplateException refused(String template, int index, String why) {
        int line = 1;
        int column = 1;
        for (int k = 0; k < index; k++) {
            if (template.charAt(k) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new WebhookBody.InvalidTemplateException(why + " (line " + line + ", column " + column + ")");
    }

    private static String snippet(String template, int index) {
        String rest = template.substring(index, Math.min(template.length(), index + 12));
        int newline = rest.indexOf('\n');
        return newline < 0 ? rest : rest.substring(0, newline);
    }
}
