package dev.edapatterns.billing.provider;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One call the simulated provider received, whatever its outcome. The card shows as its token's last 4 characters
 * (null for a token too short to show any): this is what {@code GET /admin/provider/calls} and the call-log file show.
 * {@code at} is the app's clock when the call ended; {@code startedAt}/{@code endedAt} are wall-clock times of the call
 * itself, so overlapping calls can be told apart.
 */
public record ProviderCall(long seq, Instant at, String idempotencyKey, String userId, BigDecimal amount, String currency,
        String cardLast4, Outcome outcome, String chargeId, Instant startedAt, Instant endedAt) {

    public enum Outcome { CHARGED, FAILED, DECLINED }
}
