package dev.edapatterns.billing.provider;

import java.time.Instant;

/** The provider's answer to a successful charge. */
public record ChargeReceipt(String chargeId, Instant chargedAt) {
}
