<#import "template.ftl" as layout>
<@layout.emailLayout>
${kcSanitize(msg("smsNumberRemovedBodyHtml", maskedNumber, realmName))?no_esc}
</@layout.emailLayout>
