<#import "template.ftl" as layout>
<@layout.emailLayout>
${kcSanitize(msg("smsNumberAddedBodyHtml", maskedNumber, realmName))?no_esc}
</@layout.emailLayout>
