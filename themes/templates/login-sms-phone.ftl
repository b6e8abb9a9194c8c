<#import "template.ftl" as layout>
<@layout.registrationLayout displayMessage=!messagesPerField.existsError('phone'); section>
<!-- template: login-sms-phone.ftl -->
    <#if section = "header">
        <#if sms.phoneSignIn>
            ${msg(sms.signUp?then("smsPhoneSignUpTitle", "smsPhoneSignInTitle"))}
        <#elseif sms.confirming>
            ${msg("smsPhoneTitleConfirm")}
        <#else>
            ${msg(sms.addingAnother?then("smsPhoneTitleAnother", "smsPhoneTitle"))}
        </#if>
    <#elseif section = "form">
        <#if !sms.unavailable>
        <form id="kc-sms-phone-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post" novalidate>
            <#if sms.pending??>
            <p id="kc-sms-pending-info">${msg("smsPhonePendingInfo", sms.pending.label)}</p>
            <div class="${properties.kcFormGroupClass!}">
                <button id="kc-sms-send-pending" type="submit" name="selectedCredentialId" value="${sms.pending.id}" formnovalidate autofocus
                        class="${properties.kcButtonPrimaryClass!} ${properties.kcButtonBlockClass!}">${msg("smsSendTo", sms.pending.label)}</button>
            </div>
            </#if>
            <div class="${properties.kcFormGroupClass!}">
                <div class="${properties.kcFormGroupLabelClass!}">
                    <label for="phone" class="${properties.kcFormLabelClass!}">
                        <span class="${properties.kcFormLabelTextClass!}">${msg("smsPhoneLabel")}</span>
                    </label>
                </div>
                <span class="${properties.kcInputClass!} <#if messagesPerField.existsError('phone')>${properties.kcError!}</#if>">
                    <input id="phone" name="phone" type="tel" autocomplete="tel" inputmode="tel" maxlength="32"
                           value="${sms.phoneValue}" <#if !sms.pending??>autofocus</#if> required
                           aria-describedby="<#if messagesPerField.existsError('phone')>input-error-phone<#else>phone-help</#if>"
                           aria-invalid="<#if messagesPerField.existsError('phone')>true<#else>false</#if>"/>
                    <#if messagesPerField.existsError('phone')>
                        <span class="${properties.kcFormControlUtilClass!}">
                            <span class="${properties.kcInputErrorIconStatusClass!}"><i class="${properties.kcInputErrorIconClass!}" aria-hidden="true"></i></span>
                        </span>
                    </#if>
                </span>
                <div class="${properties.kcFormHelperTextClass!}" aria-live="polite">
                    <div class="${properties.kcInputHelperTextClass!}">
                        <#if messagesPerField.existsError('phone')>
                            <span id="input-error-phone" class="${properties.kcInputErrorMessageClass!}">${kcSanitize(messagesPerField.get('phone'))?no_esc}</span>
                        <#elseif sms.fromProfile>
                            <span id="phone-help" class="${properties.kcInputHelperTextItemTextClass!}">${msg("smsPhoneFromProfile")}</span>
                        <#elseif sms.defaultRegionName?has_content>
                            <span id="phone-help" class="${properties.kcInputHelperTextItemTextClass!}">${msg("smsPhoneHelpNational", sms.defaultRegionName, sms.nationalExample)}</span>
                        <#else>
                            <span id="phone-help" class="${properties.kcInputHelperTextItemTextClass!}">${msg("smsPhoneHelp")}</span>
                        </#if>
                    </div>
                </div>
            </div>

            <#if !sms.phoneSignIn>
            <div class="${properties.kcFormGroupClass!}">
                <div class="${properties.kcFormGroupLabelClass!}">
                    <label for="label" class="${properties.kcFormLabelClass!}">
                        <span class="${properties.kcFormLabelTextClass!}">${msg("smsNumberNameLabel")}</span>
                    </label>
                </div>
                <span class="${properties.kcInputClass!}">
                    <input id="label" name="label" type="text" autocomplete="off" maxlength="${sms.maxLabelLength?c}"
                           value="${sms.labelValue}" aria-describedby="label-help"/>
                </span>
                <div class="${properties.kcFormHelperTextClass!}">
                    <div class="${properties.kcInputHelperTextClass!}">
                        <span id="label-help" class="${properties.kcInputHelperTextItemTextClass!}">${msg("smsNumberNameHelp")}</span>
                    </div>
                </div>
            </div>
            </#if>

            <div class="${properties.kcFormGroupClass!}">
                <div class="${properties.kcFormActionGroupClass!}">
                    <#-- beside an admin's number, sending to another one is the second choice -->
                    <button id="kc-sms-send" type="submit" name="send" class="${sms.pending???then(properties.kcButtonSecondaryClass!'', properties.kcButtonPrimaryClass!'')} ${properties.kcButtonBlockClass!}">${msg("smsSendCode")}</button>
                    <#if isAppInitiatedAction??>
                        <button id="kc-sms-cancel" type="submit" name="cancel-aia" value="true" formnovalidate class="${properties.kcButtonSecondaryClass!} ${properties.kcButtonBlockClass!}">${msg("doCancel")}</button>
                    </#if>
                </div>
            </div>
        </form>
        </#if>
    </#if>
</@layout.registrationLayout>
