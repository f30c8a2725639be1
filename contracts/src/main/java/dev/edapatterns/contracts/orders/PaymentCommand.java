package dev.edapatterns.contracts.orders;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.edapatterns.contracts.SchemaVersion;

/**
 * "Pay this order" on {@code orders.payments.commands} (key orderId), from {@code POST /orders/{orderId}/payments} to
 * the payments store, the single writer per orderId: the first command of an order becomes its {@link OrderPayment}
 * and its {@link PurchaseCompleted} (one transaction); a later one changes nothing and is answered from that payment.
 *
 * @param principal      the authenticated user who sent it; with {@code idempotencyKey} the request's key (keys are
 *                       scoped per user)
 * @param requestHash    hash of what was asked (orderId + canonical body): a retry has the same
 * @param purchase       the purchase to publish when this command pays the order
 */
@SchemaVersion(1)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PaymentCommand(String commandId, String principal, String idempotencyKey, String requestHash,
        PurchaseCompleted purchase) {
}
