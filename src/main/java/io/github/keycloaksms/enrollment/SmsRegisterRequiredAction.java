package io.github.keycloaksms.enrollment;

import java.time.Instant;
import java.util.Optional;

import org.jboss.logging.Logger;
import org.keycloak.authentication.CredentialRegistrator;
import org.keycloak.authentication.InitiatedActionSupport;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.sessions.AuthenticationSessionModel;

import jakarta.ws.rs.core.MultivaluedMap;

import io.github.keycloaksms.code.Verification;
import io.github.keycloaksms.config.InvalidSettingsException;
import io.github.keycloaksms.config.RealmSmsSettings;
import io.github.keycloaksms.config.SmsSettings;
import io.github.keycloaksms.credential.SmsCredentialModel;
import io.github.keycloaksms.credential.SmsCredentialProvider;
import io.github.keycloaksms.delivery.GatewayRouter;
import io.github.keycloaksms.flow.CodeDelivery;
import io.github.keycloaksms.flow.CodeSession;
import io.github.keycloaksms.flow.PriorAuthentication;
import io.github.keycloaksms.flow.SmsPage;
import io.github.keycloaksms.flow.VerificationMessages;
import io.github.keycloaksms.limits.CodeUse;
import io.github.keycloaksms.limits.SendLimits;
import io.github.keycloaksms.numbers.EnrolledNumbers;
import io.github.keycloaksms.numbers.NumberIndex;
import io.github.keycloaksms.numbers.RealmNumberKey;
import io.github.keycloaksms.phone.PhoneNumber;
import io.github.keycloaksms.phone.PhoneNumberException;
import io.github.keycloaksms.phone.PhoneNumbers;

/**
 * Enrolls a number: the user types it, receives a code, and types the code back. Only then is
 * the number stored as a credential.
 */
public class SmsRegisterRequiredAction implements RequiredActionProvider, CredentialRegistrator {

    private static final Logger LOG = Logger.getLogger(SmsRegisterRequiredAction.class);
    private static final String PURPOSE_PREFIX = "enroll:";
    private static final String LABEL_NOTE = "sms.enroll.label";
    /** The number the code went to as the user typed it (only digits and phone punctuation: it parsed), for the code page. */
    private static final String TYPED_NOTE = "sms.enroll.typed";

    private final SmsCredentialProvider credentials;

    public SmsRegisterRequiredAction(SmsCredentialProvider credentials) {
        this.credentials = credentials;
    }

    @Override
    public InitiatedActionSupport initiatedActionSupport() {
        return InitiatedActionSupport.SUPPORTED;
    }

    /** Asks for a number waiting to be confirmed: one an admin added as pending, or one from the profile attribute. */
    @Override
    public void evaluateTriggers(RequiredActionContext context) {
        try {
            SmsSettings settings = RealmSmsSettings.load(context.getSession(), context.getRealm());
            if (NumberToConfirm.of(credentials, context.getUser(), settings).isPresent()) {
                context.getAuthenticationSession().addRequiredAction(SmsRegisterRequiredActionFactory.PROVIDER_ID);
            }
        } catch (InvalidSettingsException e) {
            // the login step reports broken settings; nothing to ask for here
        }
    }

    @Override
    public String getCredentialType(KeycloakSession session, AuthenticationSessionModel authenticationSession) {
        return SmsCredentialModel.TYPE;
    }

    @Override
    public void requiredActionChallenge(RequiredActionContext context) {
        SmsSettings settings = settings(context);
        if (settings == null || !followsProof(context)) {
            return;
        }
        CodeSession codes = new CodeSession(context.getAuthenticationSession(), CodeSession.Scope.ENROLLMENT);
        if (codes.target() != null && codes.challenge() != null) {
            showCodePage(context, settings, codes, null, false, false);
        } else {
            showPhonePage(context, settings, "", null);
        }
    }

    @Override
    public void processAction(RequiredActionContext context) {
        context.getEvent().event(EventType.UPDATE_CREDENTIAL).detail(Details.CREDENTIAL_TYPE, SmsCredentialModel.TYPE);
        SmsSettings settings = settings(context);
        if (settings == null || !followsProof(context)) {
            return;
        }
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        CodeSession codes = new CodeSession(context.getAuthenticationSession(), CodeSession.Scope.ENROLLMENT);

        if (form.containsKey(SmsPage.CHANGE_NUMBER)) {
            codes.clear();
            showPhonePage(context, settings, "", null);
        } else if (form.containsKey(SmsPage.SELECTED_CREDENTIAL)) {
            confirmPending(context, settings, codes, form.getFirst(SmsPage.SELECTED_CREDENTIAL));
        } else if (form.containsKey(SmsPage.PHONE_FIELD)) {
            startWithNumber(context, settings, codes, form.getFirst(SmsPage.PHONE_FIELD), form.getFirst(SmsPage.LABEL_FIELD));
        } else if (codes.target() == null) {
            showPhonePage(context, settings, "", null);
        } else if (form.containsKey(SmsPage.RESEND) || form.containsKey(SmsPage.CALL)) {
            send(context, settings, codes, PhoneNumber.ofStoredE164(codes.target()), null, form.containsKey(SmsPage.CALL));
        } else {
            verify(context, settings, codes, form.getFirst(SmsPage.CODE_FIELD));
        }
    }

    private void startWithNumber(RequiredActionContext context, SmsSettings settings, CodeSession codes, String typed, String label) {
        rememberLabel(context, label);
        PhoneNumber phone;
        try {
            phone = PhoneNumbers.parse(typed, settings.defaultRegion(), settings.allowedRegions(), settings.voiceEnabled());
        } catch (PhoneNumberException e) {
            context.getEvent().clone().user(context.getUser()).detail(Details.REASON, e.messageKey())
                    .error(Errors.INVALID_INPUT);
            showPhonePage(context, settings, typed, new FormMessage(SmsPage.PHONE_FIELD, e.messageKey()));
            return;
        }
        String index = NumberIndex.of(RealmNumberKey.get(context.getSession(), context.getRealm()), phone);
        if (new EnrolledNumbers(context.getSession(), context.getRealm(), credentials).held(context.getUser(), index)
                .filter(number -> !number.isPending()).isPresent()) {
            // the user's own account: nothing to prove, nothing to send
            showPhonePage(context, settings, typed, new FormMessage(SmsPage.PHONE_FIELD, "smsPhoneAlreadyYours"));
            return;
        }
        send(context, settings, codes, phone, typed.strip(), false);
    }

    /** Sends a code to the number an admin added as pending; the page shows it masked, as the admin typed it. */
    private void confirmPending(RequiredActionContext context, SmsSettings settings, CodeSession codes, String credentialId) {
        Optional<PhoneNumber> pending = credentials.storedCredentials(context.getUser())
                .filter(number -> number.isPending() && number.getId().equals(credentialId))
                .findFirst().flatMap(SmsCredentialModel::phone);
        if (pending.isEmpty()) {
            showPhonePage(context, settings, "", null);
            return;
        }
        send(context, settings, codes, pending.get(), pending.get().masked(), false);
    }

    /** The optional name for the number, cleaned, for the credential made after the code. */
    private static void rememberLabel(RequiredActionContext context, String label) {
        String cleaned = SmsPage.cleanLabel(label);
        if (cleaned == null) {
            context.getAuthenticationSession().removeAuthNote(LABEL_NOTE);
        } else {
            context.getAuthenticationSession().setAuthNote(LABEL_NOTE, cleaned);
        }
    }

    /**
     * @param typed the number as typed, for a number the user just typed; null for a resend
     * @param call  the user asked for a call instead of an SMS
     */
    private void send(RequiredActionContext context, SmsSettings settings, CodeSession codes, PhoneNumber phone, String typed,
                      boolean call) {
        CodeDelivery delivery = new CodeDelivery(context.getSession(), context.getRealm(), settings, codes);
        CodeDelivery.Result result = delivery.send(phone, SendLimits.Purpose.ENROLLMENT, PURPOSE_PREFIX + phone.e164(),
                context.getUser(), context.getEvent(), call);
        boolean resend = phone.e164().equals(codes.target()) && codes.challenge() != null;
        if (result.sent()) {
            codes.setTarget(phone.e164());
            if (typed != null) {
                context.getAuthenticationSession().setAuthNote(TYPED_NOTE, typed);
            }
            showCodePage(context, settings, codes, null, resend, call);
        } else if (resend) {
            showCodePage(context, settings, codes, result.userMessage(), false, false);
        } else {
            showPhonePage(context, settings, phone.e164(), result.userMessage());
        }
    }

    private void verify(RequiredActionContext context, SmsSettings settings, CodeSession codes, String input) {
        PhoneNumber phone = PhoneNumber.ofStoredE164(codes.target());
        Verification verification = codes.check(input, PURPOSE_PREFIX + phone.e164(), settings.codePolicy(),
                new CodeUse(context.getSession().singleUseObjects(), context.getRealm().getId()));
        if (verification.outcome() == Verification.Outcome.ACCEPTED) {
            codes.clear();
            enroll(context, settings, phone);
            return;
        }
        if (verification.outcome() == Verification.Outcome.WRONG || verification.outcome() == Verification.Outcome.SUPERSEDED) {
            context.getEvent().clone().user(context.getUser()).error(Errors.INVALID_CODE);
        }
        showCodePage(context, settings, codes, VerificationMessages.forRejected(verification, settings.codePolicy()), false, false);
    }

    private void enroll(RequiredActionContext context, SmsSettings settings, PhoneNumber phone) {
        UserModel user = context.getUser();
        String index = NumberIndex.of(RealmNumberKey.get(context.getSession(), context.getRealm()), phone);
        EnrolledNumbers numbers = new EnrolledNumbers(context.getSession(), context.getRealm(), credentials);
        // only now, with the number proven, may the user learn that another account has it
        // the reservation comes first: once it is ours, any other account's enrollment has committed
        boolean taken = settings.uniqueNumbers()
                && (!numbers.reserve(index) && !numbers.holds(user, index) || numbers.heldByAnother(user, index));
        if (taken) {
            context.getEvent().clone().user(user).detail(Details.REASON, "sms_number_in_use").error(Errors.INVALID_INPUT);
            showPhonePage(context, settings, "", new FormMessage(SmsPage.PHONE_FIELD, "smsPhoneInUse"));
            return;
        }
        String label = context.getAuthenticationSession().getAuthNote(LABEL_NOTE);
        Optional<SmsCredentialModel> held = numbers.held(user, index);
        if (held.isEmpty()) {
            credentials.createCredential(context.getRealm(), user,
                    SmsCredentialModel.create(phone, index, !settings.verifyOnly(), label));
            NumberNotice.ADDED.send(context.getSession(), context.getRealm(), user, phone.masked());
        } else if (held.get().isPending()) {
            user.credentialManager().updateStoredCredential(held.get().confirmed(!settings.verifyOnly()));
            NumberNotice.ADDED.send(context.getSession(), context.getRealm(), user, phone.masked());
        }
        // a pending number the user chose to replace with this one
        credentials.storedCredentials(user).filter(number -> number.isPending() && !index.equals(number.phoneIndex()))
                .toList().forEach(number -> credentials.deleteCredential(context.getRealm(), user, number.getId()));
        numbers.remember(user, index);
        context.getAuthenticationSession().removeAuthNote(LABEL_NOTE);
        context.getAuthenticationSession().removeAuthNote(TYPED_NOTE);
        context.getEvent().detail(Details.CREDENTIAL_USER_LABEL, phone.masked());
        context.success();
    }

    private void showPhonePage(RequiredActionContext context, SmsSettings settings, String typed, FormMessage message) {
        Optional<NumberToConfirm> toConfirm = NumberToConfirm.of(credentials, context.getUser(), settings);
        SmsPage page = new SmsPage().forEnrollment()
                .withPhoneValue(typed.isEmpty() ? toConfirm.map(NumberToConfirm::profileValue).orElse("") : typed)
                .withNumberToConfirm(toConfirm.map(NumberToConfirm::pending).orElse(null), toConfirm.isPresent())
                .withLabelValue(context.getAuthenticationSession().getAuthNote(LABEL_NOTE))
                .withAddingAnother(credentials.storedCredentials(context.getUser()).findAny().isPresent())
                .withDefaultRegion(settings.defaultRegion(), context.getSession().getContext().resolveLocale(context.getUser()));
        context.challenge(page.renderPhonePage(context.form(), message));
    }

    /** The number is shown as typed, so that its owner can spot a typo (masked only for an enrollment begun before 0.2). */
    private void showCodePage(RequiredActionContext context, SmsSettings settings, CodeSession codes, FormMessage message,
                              boolean resent, boolean called) {
        String typed = context.getAuthenticationSession().getAuthNote(TYPED_NOTE);
        PhoneNumber target = PhoneNumber.ofStoredE164(codes.target());
        SmsPage page = new SmsPage().forEnrollment()
                .withShownPhone(typed != null ? typed : target.masked())
                .withResentNotice(resent && !called)
                .withCalls(CodeDelivery.offersCallInstead(context.getSession(), settings, target),
                        CodeDelivery.channel(settings, target, called) == GatewayRouter.Channel.VOICE)
                .withCodeLength(settings.codePolicy().codeLength())
                .withResendIn(codes.cooldownLeft(settings.codePolicy().resendCooldown(), Instant.now()));
        context.challenge(page.renderCodePage(context.form(), message));
    }

    /**
     * Refuses an enrollment that the SMS login step asked for in a login where the user proved
     * nothing (the step put after a bare username form): it would let a visitor add their own number.
     */
    private boolean followsProof(RequiredActionContext context) {
        if (!PriorAuthentication.setupWithoutProof(context.getAuthenticationSession())) {
            return true;
        }
        LOG.errorf("SMS enrollment in realm %s was asked for by an SMS code step that runs before the user proved anything: "
                + "no SMS is sent. Put the step after a password, passkey or identity provider step.", context.getRealm().getName());
        context.getEvent().clone().user(context.getUser()).detail(Details.REASON, "sms_step_before_authentication")
                .error(CodeDelivery.SEND_FAILED_ERROR);
        context.challenge(new SmsPage().forEnrollment().markUnavailable()
                .renderPhonePage(context.form(), new FormMessage(null, "smsFlowMisconfigured")));
        return false;
    }

    /** The realm's settings, or null after showing the user that SMS is unavailable. */
    private SmsSettings settings(RequiredActionContext context) {
        try {
            return RealmSmsSettings.load(context.getSession(), context.getRealm());
        } catch (InvalidSettingsException e) {
            LOG.errorf("SMS settings of realm %s are invalid: %s", context.getRealm().getName(), e.getMessage());
            context.challenge(new SmsPage().forEnrollment().markUnavailable()
                    .renderPhonePage(context.form(), new FormMessage(null, "smsNotConfigured")));
            return null;
        }
    }

    @Override
    public void close() {
    }
}
