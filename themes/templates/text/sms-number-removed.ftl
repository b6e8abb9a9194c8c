<#ftl output_format="plainText">
${msg("smsNumberRemovedBody", maskedNumber, realmName)}
