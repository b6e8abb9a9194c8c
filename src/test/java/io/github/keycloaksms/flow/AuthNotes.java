package io.github.keycloaksms.flow;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.sessions.RootAuthenticationSessionModel;

/**
 * Keycloak's authentication session as far as the code notes use it: its notes, its browser tab
 * and its root session's id. Any other call fails, so a test notices when the code needs more.
 */
final class AuthNotes {

    private AuthNotes() {
    }

    static AuthenticationSessionModel session(String rootId, String tabId) {
        Map<String, String> notes = new HashMap<>();
        RootAuthenticationSessionModel root = proxy(RootAuthenticationSessionModel.class, (method, args) -> {
            if (method.equals("getId")) {
                return rootId;
            }
            throw new UnsupportedOperationException(method);
        });
        return proxy(AuthenticationSessionModel.class, (method, args) -> switch (method) {
            case "getAuthNote" -> notes.get((String) args[0]);
            case "setAuthNote" -> notes.put((String) args[0], (String) args[1]);
            case "removeAuthNote" -> notes.remove((String) args[0]);
            case "getParentSession" -> root;
            case "getTabId" -> tabId;
            default -> throw new UnsupportedOperationException(method);
        });
    }

    private interface Answer {
        Object answer(String method, Object[] args);
    }

    private static <T> T proxy(Class<T> type, Answer answer) {
        return type.cast(Proxy.newProxyInstance(AuthNotes.class.getClassLoader(), new Class<?>[] {type},
                (self, method, args) -> answer.answer(method.getName(), args)));
    }
}
