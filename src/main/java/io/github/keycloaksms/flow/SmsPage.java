package io.github.keycloaksms.flow;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.ws.rs.core.Response;

import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.utils.FormMessage;

import io.github.keycloaksms.delivery.GatewayRouter;
import io.github.keycloaksms.phone.PhoneNumberException;
import io.github.keycloaksms.phone.PhoneNumbers;

/**
 * Renders our two pages. Templates read everything from the {@code sms} attribute (an instance of
 * this class), so they stay free of logic.
 */
public final class SmsPage {

    public static final String PHONE_TEMPLATE = "login-sms-phone.ftl";
    public static final String CODE_TEMPLATE = "login-sms-code.ftl";

    public static final String PHONE_FIELD = "phone";
    public static final String CODE_FIELD = "code";
    public static final String RESEND = "resend";
    /** "Call me instead": the code read out in a voice call. */
    public static final String CALL = "call";
    /** "Send by ... instead": the channel's id as the value. */
    public static final String CHANNEL = "channel";
    /** How the message keys name each channel. */
    private static final Map<GatewayRouter.Channel, String> INSTEAD_LABELS = Map.of(GatewayRouter.Channel.SMS, "Sms",
            GatewayRouter.Channel.WHATSAPP, "WhatsApp", GatewayRouter.Channel.TELEGRAM, "Telegram");
    public static final String CHANGE_NUMBER = "change-number";
    public static final String SELECTED_CREDENTIAL = "selectedCredentialId";
    /** The optional name a user gives a number at enrollment. */
    public static final String LABEL_FIELD = "label";
    public static final int MAX_LABEL_LENGTH = 64;

    /** A name for a number on one line and no longer than a label should be; null when nothing is left. */
    public static String cleanLabel(String label) {
        String cleaned = label == null ? "" : label.replaceAll("\\p{Cntrl}", " ").strip();
        return cleaned.isEmpty() ? null : cleaned.substring(0, Math.min(cleaned.length(), MAX_LABEL_LENGTH));
    }

    /** A number the user may choose at login. Getters because FreeMarker reads bean properties. */
    public static final class Choice {
        private final String id;
        private final String label;

        public Choice(String id, String label) {
            this.id = id;
            this.label = label;
        }

        public String getId() {
            return id;
        }

        public String getLabel() {
            return label;
        }
    }

    private String shownPhone;
    private boolean resent;
    private GatewayRouter.Channel used = GatewayRouter.Channel.SMS;
    private List<Choice> otherChannels = List.of();
    private boolean smsOnly = true;
    private boolean callOffered;
    private boolean addingAnother;
    private String defaultRegionName;
    private String nationalExample;
    private String labelValue = "";
    private long resendInSeconds;
    private int codeLength;
    private boolean enrollment;
    private boolean phoneSignIn;
    private boolean reset;
    private Choice pending;
    private boolean confirming;
    private boolean signUp;
    private boolean unavailable;
    private List<Choice> choices = List.of();
    private String phoneValue = "";

    /** The number the code went to: masked at login, as the user typed it at enrollment. */
    public String getShownPhone() {
        return shownPhone;
    }

    /** True at enrollment when the user has a number already. */
    public boolean isAddingAnother() {
        return addingAnother;
    }

    /** The realm's default region in the user's language, when numbers may be typed without the country code. */
    public String getDefaultRegionName() {
        return defaultRegionName;
    }

    public String getNationalExample() {
        return nationalExample;
    }

    public String getLabelValue() {
        return labelValue;
    }

    public int getMaxLabelLength() {
        return MAX_LABEL_LENGTH;
    }

    public long getResendInSeconds() {
        return resendInSeconds;
    }

    public int getCodeLength() {
        return codeLength;
    }

    public boolean isEnrollment() {
        return enrollment;
    }

    /** True when the visitor signs in with a number: nothing on the page may depend on whether it has an account. */
    public boolean isPhoneSignIn() {
        return phoneSignIn;
    }

    /** True on the reset-by-SMS page: it never says whether the account has a number. */
    public boolean isReset() {
        return reset;
    }

    /** A number an admin added for the user to confirm, shown masked; null when there is none. */
    public Choice getPending() {
        return pending;
    }

    /** True when the page asks the user to confirm a number: an admin's pending one or the profile's. */
    public boolean isConfirming() {
        return confirming;
    }

    /** True when the number field holds the user's profile number, for them to confirm or change. */
    public boolean isFromProfile() {
        return confirming && pending == null;
    }

    /** True when phone sign-in also creates accounts for new numbers. */
    public boolean isSignUp() {
        return signUp;
    }

    /** True when SMS cannot be sent at all (settings missing or broken): the page only explains. */
    public boolean isUnavailable() {
        return unavailable;
    }

    public List<Choice> getChoices() {
        return choices;
    }

    /** True at login when the user has several numbers and has not picked one yet. */
    public boolean isChoosing() {
        return shownPhone == null && !choices.isEmpty();
    }

    public String getPhoneValue() {
        return phoneValue;
    }

    public SmsPage withShownPhone(String shownPhone) {
        this.shownPhone = shownPhone;
        return this;
    }

    /** The page then says that a new code went out, so the user knows to wait for the newest SMS. */
    public SmsPage withResentNotice(boolean resent) {
        this.resent = resent;
        return this;
    }

    /**
     * How the code went and which other ways the page offers.
     *
     * @param used          the channel the last code went by: the page says so ("by WhatsApp", "calling")
     * @param callOffered   "call me instead" is offered next to "send a new code"
     * @param otherChannels the realm's other channels, each a "send by ... instead" button
     */
    public SmsPage withChannels(GatewayRouter.Channel used, boolean callOffered, List<GatewayRouter.Channel> otherChannels) {
        this.used = used;
        this.callOffered = callOffered;
        this.otherChannels = otherChannels.stream()
                .map(channel -> new Choice(channel.id(), "smsSendBy" + INSTEAD_LABELS.get(channel) + "Instead")).toList();
        return this;
    }

    /** @param smsOnly the realm sends codes by SMS only, so a page may say "by SMS" before it knows how a code went */
    public SmsPage withSmsOnly(boolean smsOnly) {
        this.smsOnly = smsOnly;
        return this;
    }

    /** The "send by ... instead" buttons: the channel's id as the value of {@value #CHANNEL}, the message key as the label. */
    public List<Choice> getOtherChannels() {
        return otherChannels;
    }

    /**
     * What the code page says about where the code went, once: a new code after a resend, and at
     * sign-in and reset only "if" it went, since unknown numbers and accounts get none.
     */
    public String getSentToKey() {
        if (used == GatewayRouter.Channel.VOICE && !reset) {
            return "smsCodeCalledTo";
        } else if ((used == GatewayRouter.Channel.WHATSAPP || used == GatewayRouter.Channel.TELEGRAM) && !reset) {
            return "smsCodeSentBy" + INSTEAD_LABELS.get(used);
        }
        String key = reset ? resent ? "smsResetCodeResent" : "smsResetCodeSent"
                : phoneSignIn && !signUp ? resent ? "smsPhoneSignInResent" : "smsPhoneSignInSentTo"
                : resent ? "smsCodeResent" : "smsCodeSentTo";
        // where the channel is chosen after the response, the page names none unless SMS is the only one
        return (reset || phoneSignIn) && !smsOnly ? key + "AnyChannel" : key;
    }

    public boolean isCallOffered() {
        return callOffered;
    }

    public SmsPage withAddingAnother(boolean addingAnother) {
        this.addingAnother = addingAnother;
        return this;
    }

    /**
     * What the phone field says about a number that was refused; an invalid one gets the hint of
     * the realm's default region, with an example in that region's format.
     */
    public static FormMessage phoneError(PhoneNumberException refused, String defaultRegion, Locale language) {
        if (PhoneNumberException.INVALID.equals(refused.messageKey()) && defaultRegion != null) {
            return new FormMessage(PHONE_FIELD, "smsPhoneInvalidNational", regionName(defaultRegion, language),
                    PhoneNumbers.nationalExample(defaultRegion));
        }
        return new FormMessage(PHONE_FIELD, refused.messageKey());
    }

    /** Says in the hint that a number of this region may be typed without the country code. */
    public SmsPage withDefaultRegion(String region, Locale language) {
        if (region != null) {
            this.defaultRegionName = regionName(region, language);
            this.nationalExample = PhoneNumbers.nationalExample(region);
        }
        return this;
    }

    private static String regionName(String region, Locale language) {
        return new Locale("", region).getDisplayCountry(language);
    }

    public SmsPage withLabelValue(String label) {
        this.labelValue = label == null ? "" : label;
        return this;
    }

    public SmsPage withResendIn(Duration left) {
        this.resendInSeconds = roundedUpSeconds(left);
        return this;
    }

    /** Whole seconds, rounded up: "0 seconds" while the server still refuses would be a lie. */
    static long roundedUpSeconds(Duration left) {
        return left.isZero() || left.isNegative() ? 0 : left.plusMillis(999).getSeconds();
    }

    public SmsPage withCodeLength(int codeLength) {
        this.codeLength = codeLength;
        return this;
    }

    public SmsPage forEnrollment() {
        this.enrollment = true;
        return this;
    }

    /**
     * @param pendingNumber an admin's pending number to offer, or null
     * @param toConfirm     true when there is a number to confirm (the pending one, or the profile's in the field)
     */
    public SmsPage withNumberToConfirm(Choice pendingNumber, boolean toConfirm) {
        this.pending = pendingNumber;
        this.confirming = toConfirm;
        return this;
    }

    public SmsPage forReset() {
        this.reset = true;
        return this;
    }

    public SmsPage forPhoneSignIn(boolean withSignUp) {
        this.phoneSignIn = true;
        this.signUp = withSignUp;
        return this;
    }

    public SmsPage markUnavailable() {
        this.unavailable = true;
        return this;
    }

    public SmsPage withChoices(List<Choice> choices) {
        this.choices = List.copyOf(choices);
        return this;
    }

    /** Echoes what the user typed, unless it is too long to be a number anyway. */
    public SmsPage withPhoneValue(String typed) {
        this.phoneValue = typed != null && typed.length() <= PhoneNumbers.MAX_INPUT_LENGTH ? typed : "";
        return this;
    }

    public Response renderPhonePage(LoginFormsProvider form, FormMessage error) {
        return render(form, error, PHONE_TEMPLATE);
    }

    public Response renderCodePage(LoginFormsProvider form, FormMessage error) {
        return render(form, error, CODE_TEMPLATE);
    }

    private Response render(LoginFormsProvider form, FormMessage error, String template) {
        if (error != null) {
            form.addError(error);
        }
        return form.setAttribute("sms", this).createForm(template);
    }
}
