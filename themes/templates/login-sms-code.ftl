<#import "template.ftl" as layout>
<#assign codeError = messagesPerField.existsError('code')>
<@layout.registrationLayout displayMessage=!codeError; section>
<!-- template: login-sms-code.ftl -->
    <#if section = "header">
        ${msg(sms.choosing?then("smsChooseTitle", "smsCodeTitle"))}
    <#elseif section = "form">
        <#if sms.choosing>
            <form id="kc-sms-choose-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post">
                <p id="kc-sms-choose-info">${msg("smsChooseInfo")}</p>
                <div class="${properties.kcFormGroupClass!}">
                    <div class="${properties.kcFormActionGroupClass!}">
                        <#list sms.choices as choice>
                            <button type="submit" name="selectedCredentialId" value="${choice.id}" class="${properties.kcButtonSecondaryClass!} ${properties.kcButtonBlockClass!}">${msg("smsSendTo", choice.label)}</button>
                        </#list>
                    </div>
                </div>
            </form>
        <#elseif !sms.unavailable>
            <form id="kc-sms-code-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post" novalidate>
                <#if sms.reset || sms.shownPhone?has_content>
                    <p id="kc-sms-sent-to">${msg(sms.sentToKey, sms.shownPhone!"")}</p>
                </#if>
                <div class="${properties.kcFormGroupClass!}">
                    <div class="${properties.kcFormGroupLabelClass!}">
                        <label for="code" class="${properties.kcFormLabelClass!}">
                            <span class="${properties.kcFormLabelTextClass!}">${msg("smsCodeLabel")}</span>
                        </label>
                    </div>
                    <span class="${properties.kcInputClass!} <#if codeError>${properties.kcError!}</#if>">
                        <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code"
                               pattern="[0-9]*" maxlength="${sms.codeLength}" autofocus required
                               aria-invalid="<#if codeError>true<#else>false</#if>"
                               aria-describedby="<#if sms.shownPhone?has_content || sms.reset>kc-sms-sent-to</#if><#if codeError> input-error-code</#if>"/>
                        <#if codeError>
                            <span class="${properties.kcFormControlUtilClass!}">
                                <span class="${properties.kcInputErrorIconStatusClass!}"><i class="${properties.kcInputErrorIconClass!}" aria-hidden="true"></i></span>
                            </span>
                        </#if>
                    </span>
                    <#if codeError>
                        <div class="${properties.kcFormHelperTextClass!}" aria-live="polite">
                            <div class="${properties.kcInputHelperTextClass!}">
                                <span id="input-error-code" class="${properties.kcInputErrorMessageClass!}">${kcSanitize(messagesPerField.get('code'))?no_esc}</span>
                            </div>
                        </div>
                    </#if>
                </div>

                <div class="${properties.kcFormGroupClass!}">
                    <div class="${properties.kcFormActionGroupClass!}">
                        <button id="kc-sms-verify" type="submit" name="verify" class="${properties.kcButtonPrimaryClass!} ${properties.kcButtonBlockClass!}">${msg("smsVerify")}</button>
                        <button id="kc-sms-resend" type="submit" name="resend" formnovalidate class="${properties.kcButtonSecondaryClass!} ${properties.kcButtonBlockClass!}"
                                data-resend-in="${sms.resendInSeconds?c}" data-label-wait="${msg("smsResendIn", "{0}")}" data-label-ready="${msg("smsResend")}">
                            <#if sms.resendInSeconds gt 0>${msg("smsResendIn", sms.resendInSeconds?c)}<#else>${msg("smsResend")}</#if>
                        </button>
                        <#if sms.callOffered>
                            <button id="kc-sms-call" type="submit" name="call" formnovalidate class="${properties.kcButtonSecondaryClass!} ${properties.kcButtonBlockClass!}">${msg("smsCallMe")}</button>
                        </#if>
                        <#list sms.otherChannels as channel>
                            <button id="kc-sms-channel-${channel.id}" type="submit" name="channel" value="${channel.id}" formnovalidate class="${properties.kcButtonSecondaryClass!} ${properties.kcButtonBlockClass!}">${msg(channel.label)}</button>
                        </#list>
                        <#if sms.enrollment || sms.phoneSignIn || sms.choices?size gt 1>
                            <button id="kc-sms-change-number" type="submit" name="change-number" formnovalidate class="${properties.kcButtonLinkClass!} ${properties.kcButtonBlockClass!}">${msg((sms.enrollment || sms.phoneSignIn)?then("smsChangeNumber", "smsUseOtherNumber"))}</button>
                        </#if>
                        <#if sms.reset>
                            <div id="kc-sms-back-to-login" class="${properties.kcFormOptionsWrapperClass!}">
                                <span><a href="${url.loginUrl}">${kcSanitize(msg("backToLogin"))?no_esc}</a></span>
                            </div>
                        </#if>
                        <#if isAppInitiatedAction??>
                            <button id="kc-sms-cancel" type="submit" name="cancel-aia" value="true" formnovalidate class="${properties.kcButtonLinkClass!} ${properties.kcButtonBlockClass!}">${msg("doCancel")}</button>
                        </#if>
                    </div>
                </div>
            </form>
            <script>
                (function () {
                    // without JavaScript the button stays enabled and the server answers an early click politely
                    var button = document.getElementById("kc-sms-resend");
                    var left = parseInt(button.getAttribute("data-resend-in") || "0", 10);
                    if (left <= 0) { return; }
                    var wait = button.getAttribute("data-label-wait");
                    var ready = button.getAttribute("data-label-ready");
                    button.disabled = true;
                    var timer = setInterval(function () {
                        left -= 1;
                        button.textContent = left > 0 ? wait.replace("{0}", left) : ready;
                        if (left <= 0) {
                            clearInterval(timer);
                            button.disabled = false;
                        }
                    }, 1000);
                })();
            </script>
        </#if>
    </#if>
</@layout.registrationLayout>
