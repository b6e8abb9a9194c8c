package io.github.keycloaksms.config;

import java.util.List;

/**
 * One way a code may reach a number, in the order of the realm's {@code channels} setting: by SMS
 * through the realm's gateway (and its fallback), or by WhatsApp or Telegram through the gateway
 * the entry names.
 *
 * @param gateway the gateway's name; null for SMS, which goes through the realm's {@code gateway}
 */
public record ChannelChoice(String channel, String gateway) {

    public static final String SMS = "sms";
    public static final String WHATSAPP = "whatsapp";
    public static final String TELEGRAM = "telegram";
    /** The channels an entry may name besides SMS; each needs a gateway that carries it (see SmsGatewayFactory#cannotCarry). */
    public static final List<String> BY_GATEWAY = List.of(WHATSAPP, TELEGRAM);

    public static final ChannelChoice BY_SMS = new ChannelChoice(SMS, null);
}
