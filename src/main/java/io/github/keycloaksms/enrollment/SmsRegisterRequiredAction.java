package io.github.keycloaksms.enrollment;

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
import io.github.keycloaksms.config.RealmSmsSettings;
import io.github.keycloaksms.credential.SmsCredentialModel;
import io.github.keycloaksms.credential.SmsCredentialProvider;
import io.github.keycloaksms.credential.SmsProviderIds;
import io.github.keycloaksms.delivery.GatewayRouter;
import io.github.keycloaksms.flow.CodeDelivery;
import io.github.keycloaksms.flow.CodeStep;
import io.github.keycloaksms.flow.NumberNotice;
import io.github.keycloaksms.flow.PriorAuthentication;
import io.github.keycloaksms.flow.SmsPage;
import io.github.keycloaksms.gateway.InvalidSettingsException;
import io.github.keycloaksms.numbers.EnrolledNumbers;
import io.github.keycloaksms.phone.PhoneNumber;
import io.github.keycloaksms.phone.PhoneNumberException;
import io.github.keycloaksms.phone.PhoneNumbers;

/**
 * Enrolls a number: the user types it, receives a code, and types the code back. Only then is
 * the number stored as a credential.
 */
final class SmsRegisterRequiredAction implements RequiredActionProvider, CredentialRegistrator {

    private static final Logger LOG = Logger.getLogger(SmsRegisterRequiredAction.class);
    private static final String LABEL_NOTE = "sms.enroll.label";
    /** The number the code went to as the user typed it (only digits and phone punctuation: it parsed), for the code page. */
    private static final String TYPED_NOTE = "sms.enroll.typed";

    private final SmsCredentialProvider credentials;

    SmsRegisterRequiredAction(SmsCredentialProvider credentials) {
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
            if (NumberToConfirm.of(credentials, context.getUser(), RealmSmsSettings.load(context.getSession(), context.getRealm()))
                    .isPresent()) {
                context.getAuthenticationSession().addRequiredAction(SmsProviderIds.REQUIRED_ACTION);
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
        CodeStep.open(context).filter(this::followsProof).ifPresent(step -> {
            if (step.hasCode()) {
                showCodePage(step, null, false);
            } else {
                showPhonePage(step, "", null);
            }
        });
    }

    @Override
    public void processAction(RequiredActionContext context) {
        context.getEvent().event(EventType.UPDATE_CREDENTIAL).detail(Details.CREDENTIAL_TYPE, SmsCredentialModel.TYPE);
        CodeStep.open(context).filter(this::followsProof).ifPresent(step -> {
            MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
            String target = step.codes().target();
            if (form.containsKey(SmsPage.CHANGE_NUMBER)) {
                step.codes().clear();
                showPhonePage(step, "", null);
            } else if (form.containsKey(SmsPage.SELECTED_CREDENTIAL)) {
                confirmPending(step, form.getFirst(SmsPage.SELECTED_CREDENTIAL));
            } else if (form.containsKey(SmsPage.PHONE_FIELD)) {
                rememberLabel(step, form.getFirst(SmsPage.LABEL_FIELD));
                startWithNumber(step, form.getFirst(SmsPage.PHONE_FIELD));
            } else if (target == null) {
                showPhonePage(step, "", null);
            } else if (CodeStep.asksForCode(form)) {
                send(step, PhoneNumber.ofStoredE164(target), null, step.askedChannel(form));
            } else {
                verify(context, step, form.getFirst(SmsPage.CODE_FIELD));
            }
        });
    }

    private void startWithNumber(CodeStep step, String typed) {
        PhoneNumber phone;
        try {
            phone = PhoneNumbers.parse(typed, step.settings().defaultRegion(), step.settings().allowedRegions(),
                    step.settings().voiceEnabled());
        } catch (PhoneNumberException e) {
            step.event().clone().user(step.user()).detail(Details.REASON, e.messageKey()).error(Errors.INVALID_INPUT);
            showPhonePage(step, typed, SmsPage.phoneError(e, step.settings().defaultRegion(), step.locale(step.user())));
            return;
        }
        if (step.numbers().held(step.user(), step.index(phone)).filter(number -> !number.isPending()).isPresent()) {
            // the user's own account: nothing to prove, nothing to send
            showPhonePage(step, typed, new FormMessage(SmsPage.PHONE_FIELD, "smsPhoneAlreadyYours"));
            return;
        }
        send(step, phone, typed.strip(), null);
    }

    /** Sends a code to the number an admin added as pending; the page shows it masked, as the admin typed it. */
    private void confirmPending(CodeStep step, String credentialId) {
        Optional<PhoneNumber> pending = credentials.storedCredentials(step.user())
                .filter(number -> number.isPending() && number.isIndexed() && number.getId().equals(credentialId))
                .findFirst().flatMap(SmsCredentialModel::phone);
        if (pending.isEmpty()) {
            showPhonePage(step, "", null);
            return;
        }
        send(step, pending.get(), pending.get().masked(), null);
    }

    /** The optional name for the number, cleaned, for the credential made after the code. */
    private static void rememberLabel(CodeStep step, String label) {
        String cleaned = SmsPage.cleanLabel(label);
        if (cleaned == null) {
            step.authSession().removeAuthNote(LABEL_NOTE);
        } else {
            step.authSession().setAuthNote(LABEL_NOTE, cleaned);
        }
    }

    /**
     * @param typed the number as typed, for a number the user just typed; null for a resend
     * @param asked the channel the user chose on the code page; null for the realm's order
     */
    private void send(CodeStep step, PhoneNumber phone, String typed, GatewayRouter.Channel asked) {
        boolean again = step.isResendTo(phone.e164());
        boolean resend = again && asked == step.codes().channel();
        CodeDelivery.Result result = step.send(phone, phone.e164(), asked);
        if (result.sent()) {
            if (typed != null) {
                step.authSession().setAuthNote(TYPED_NOTE, typed);
            }
            showCodePage(step, null, resend);
        } else if (again) {
            showCodePage(step, result.userMessage(), false);
        } else {
            showPhonePage(step, phone.e164(), result.userMessage());
        }
    }

    private void verify(RequiredActionContext context, CodeStep step, String input) {
        Verification verification = step.check(input);
        if (verification.outcome() == Verification.Outcome.ACCEPTED) {
            PhoneNumber phone = PhoneNumber.ofStoredE164(step.codes().target());
            step.codes().clear();
            enroll(context, step, phone);
            return;
        }
        if (verification.countsAsWrong()) {
            step.event().clone().user(step.user()).error(Errors.INVALID_CODE);
        }
        showCodePage(step, step.rejection(verification), false);
    }

    private void enroll(RequiredActionContext context, CodeStep step, PhoneNumber phone) {
        UserModel user = step.user();
        String index = step.index(phone);
        EnrolledNumbers numbers = step.numbers();
        // only now, with the number proven, may the user learn that another account has it
        // the reservation comes first: once it is ours, any other account's enrollment has committed
        boolean taken = step.settings().uniqueNumbers()
                && (!numbers.reserve(index) && !numbers.holds(user, index) || numbers.heldByAnother(user, index));
        if (taken) {
            step.event().clone().user(user).detail(Details.REASON, "sms_number_in_use").error(Errors.INVALID_INPUT);
            showPhonePage(step, "", new FormMessage(SmsPage.PHONE_FIELD, "smsPhoneInUse"));
            return;
        }
        if (numbers.store(user, phone, index, !step.settings().verifyOnly(), step.authSession().getAuthNote(LABEL_NOTE))) {
            NumberNotice.ADDED.send(step.session(), step.realm(), user, phone.masked());
        }
        step.authSession().removeAuthNote(LABEL_NOTE);
        step.authSession().removeAuthNote(TYPED_NOTE);
        step.event().detail(Details.CREDENTIAL_USER_LABEL, phone.masked());
        context.success();
    }

    private void showPhonePage(CodeStep step, String typed, FormMessage message) {
        Optional<NumberToConfirm> toConfirm = NumberToConfirm.of(credentials, step.user(), step.settings());
        SmsPage page = step.page()
                .withPhoneValue(typed.isEmpty() ? toConfirm.map(NumberToConfirm::profileValue).orElse("") : typed)
                .withNumberToConfirm(toConfirm.map(NumberToConfirm::pending).orElse(null), toConfirm.isPresent())
                .withLabelValue(step.authSession().getAuthNote(LABEL_NOTE))
                .withAddingAnother(credentials.storedCredentials(step.user()).findAny().isPresent())
                .withDefaultRegion(step.settings().defaultRegion(), step.locale(step.user()));
        step.showPhonePage(page, message);
    }

    /** The number is shown as typed, so that its owner can spot a typo. */
    private void showCodePage(CodeStep step, FormMessage message, boolean resent) {
        SmsPage page = step.codePage(PhoneNumber.ofStoredE164(step.codes().target()))
                .withShownPhone(step.authSession().getAuthNote(TYPED_NOTE))
                .withResentNotice(resent);
        step.showCodePage(page, message);
    }

    /**
     * Refuses an enrollment that the SMS login step asked for in a login where the user proved
     * nothing (the step put after a bare username form): it would let a visitor add their own number.
     */
    private boolean followsProof(CodeStep step) {
        if (!PriorAuthentication.setupWithoutProof(step.authSession())) {
            return true;
        }
        LOG.errorf("SMS enrollment in realm %s was asked for by an SMS code step that runs before the user proved anything: "
                + "no SMS is sent. Put the step after a password, passkey or identity provider step.", step.realm().getName());
        step.unavailable("sms_step_before_authentication", CodeDelivery.SEND_FAILED_ERROR, "smsFlowMisconfigured");
        return false;
    }

    @Override
    public void close() {
    }
}
