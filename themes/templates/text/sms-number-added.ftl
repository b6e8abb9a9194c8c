<#ftl output_format="plainText">
${msg("smsNumberAddedBody", maskedNumber, realmName)}
