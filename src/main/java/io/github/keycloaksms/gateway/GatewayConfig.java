package io.github.keycloaksms.gateway;

/**
 * What one gateway gets for one send or one check of the realm's settings: its own settings and
 * an HTTP client bound to the outbound policy the server's operator set for it.
 */
@PublicApi(unstable = true)
public interface GatewayConfig {

    /** The key of the setting that names the realm's gateway, for a problem with the choice itself. */
    String GATEWAY = "gateway";
    /** The key of the realm's sender. */
    String FROM = "from";

    /**
     * A value of one of this gateway's own settings (the names its factory declares) or of
     * {@code from}, stripped; null when unset or blank. At a send, {@code ${vault.NAME}} values
     * are already resolved; when an admin saves the settings they are not.
     */
    String get(String key);

    /** The realm's sender: a number in E.164 form or an alphanumeric sender id; null when unset. */
    default String from() {
        return get(FROM);
    }

    /**
     * True when the realm sends through this gateway (as its gateway or fallback); false while an
     * admin saves settings that select another one, when only the values that are set are checked.
     */
    boolean selected();

    /** Our HTTP client: one request per call, short timeouts, the operator's outbound policy for this gateway. */
    GatewayHttp http();
}
