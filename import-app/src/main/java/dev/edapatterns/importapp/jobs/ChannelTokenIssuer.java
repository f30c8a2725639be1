package dev.edapatterns.importapp.jobs;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.edapatterns.eventkit.security.ChannelTokens;
import dev.edapatterns.importapp.ImportConfig;

/**
 * Issues the token that lets one user open an import's progress channel on notify-app (which holds the same key,
 * {@code eda.channel-tokens.key}); valid for {@code import.progress.token-ttl}.
 */
@Singleton
public class ChannelTokenIssuer {

    private final ChannelTokens tokens;
    private final ImportConfig config;

    ChannelTokenIssuer(@ConfigProperty(name = ChannelTokens.KEY_PROPERTY) String key, ImportConfig config) {
        this.tokens = ChannelTokens.fromBase64(key);
        this.config = config;
    }

    public String issue(String channelId, String user) {
        return tokens.issue(channelId, user, config.progress().tokenTtl());
    }
}
