package io.github.keycloaksms.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.github.keycloaksms.gateway.GatewayHttp;

class OutboundPolicyTest {

    private final OutboundPolicy policy = new OutboundPolicy(Set.of("sms.internal.example:8443/api/sms/", "Backup.Internal.Example",
            "[fd00::5]:9000", "10.0.0.7/hook"), Set.of());

    @Test
    void anEntryWithAPortAndAPathAllowsThatPortAndThePathsUnderIt() throws Exception {
        assertEquals(URI.create("https://sms.internal.example:8443/api/sms/send"), policy.check("https://sms.internal.example:8443/api/sms/send"));
        policy.check("http://sms.internal.example:8443/api/sms");
        for (String elsewhere : new String[] {"https://sms.internal.example/api/sms/send", "https://sms.internal.example:8444/api/sms/send",
                "https://sms.internal.example:8443/api/smsx", "https://sms.internal.example:8443/admin",
                "https://sms.internal.example:8443/api/sms/../../admin", "https://sms.internal.example:8443/api/sms/%2e%2e/admin",
                "https://sms.internal.example:8443/api/sms%2F..%2Fadmin"}) {
            GatewayHttp.Refused refused = assertThrows(GatewayHttp.Refused.class, () -> policy.check(elsewhere), elsewhere);
            assertTrue(refused.getMessage().contains("sms.internal.example:8443/api/sms") || refused.getMessage().contains("plain path"),
                    refused.getMessage());
        }
    }

    @Test
    void aBareHostAllowsEveryPortAndPathAndAddressesCountToo() throws Exception {
        policy.check("https://backup.internal.example:1234/anything");
        policy.check("http://[fd00::5]:9000/x");
        assertThrows(GatewayHttp.Refused.class, () -> policy.check("http://[fd00::5]:9001/x"));
        policy.check("http://10.0.0.7/hook/v1");
        assertThrows(GatewayHttp.Refused.class, () -> policy.check("http://10.0.0.7/other"));
        assertThrows(GatewayHttp.Refused.class, () -> policy.check("https://unlisted.example/"));
    }
}
