package dev.edapatterns.billing;

import static io.restassured.RestAssured.given;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.edapatterns.billing.provider.ProviderCall;
import dev.edapatterns.billing.provider.SimulatedPaymentProvider;
import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.billing.Charge;
import dev.edapatterns.eventkit.testing.TopicRecords;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Helpers shared by the billing tests: subscriptions through the API, charges as the provider and the topic saw them. */
public final class BillingTestSupport {

    private BillingTestSupport() {
    }

    /**
     * A request as the dev/test user {@code admin} (role billing-admin), HTTP Basic: every /admin call needs it, and it
     * acts for any user on /subscriptions and /ledger.
     */
    public static RequestSpecification asAdmin() {
        return given().auth().preemptive().basic("admin", "admin");
    }

    /** A request as a dev/test customer (role customer; password = the email's local part): acts for itself only. */
    public static RequestSpecification asCustomer(String email) {
        return given().auth().preemptive().basic(email, email.substring(0, email.indexOf('@')));
    }

    /** A request as the dev/test user {@code clerk}: authenticated, but without any billing role. */
    public static RequestSpecification asClerk() {
        return given().auth().preemptive().basic("clerk", "clerk");
    }

    public static String user(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Creates a subscription for any user through the API (201), as billing-admin. */
    public static void subscribe(String userId, String country, String cardToken, LocalDate paidUntil) {
        asAdmin().contentType(ContentType.JSON)
                .body(Map.of("userId", userId, "plan", "pro", "price", new BigDecimal("9.90"), "currency", "EUR", "country", country,
                        "cardToken", cardToken, "paidUntil", paidUntil.toString()))
                .post("/subscriptions").then().statusCode(201);
    }

    /** Calls the provider charged for this user (the provider's own log: the truth about money taken). */
    public static List<ProviderCall> charges(SimulatedPaymentProvider provider, String userId) {
        return provider.calls().stream()
                .filter(c -> userId.equals(c.userId()) && c.outcome() == ProviderCall.Outcome.CHARGED).toList();
    }

    public static List<ProviderCall> calls(SimulatedPaymentProvider provider, String userId) {
        return provider.calls().stream().filter(c -> userId.equals(c.userId())).toList();
    }

    /** Committed Charge records of this user on billing.charges. */
    public static List<Charge> chargeRecords(String userId) {
        return TopicRecords.readCommitted(Topics.BILLING_CHARGES).stream().filter(r -> userId.equals(r.key()))
                .map(ConsumerRecord::value).toList();
    }

    /** The topics of those records that hold this text anywhere: in the key, the value or a header's value. */
    public static Set<String> topicsHolding(List<ConsumerRecord<byte[], byte[]>> records, String text) {
        return records.stream().filter(r -> contains(r.key(), text) || contains(r.value(), text)
                || StreamSupport.stream(r.headers().spliterator(), false).anyMatch(h -> contains(h.value(), text)))
                .map(ConsumerRecord::topic).collect(Collectors.toSet());
    }

    private static boolean contains(byte[] bytes, String text) {
        return bytes != null && new String(bytes, StandardCharsets.UTF_8).contains(text);
    }

    /** A renewal command as schema version 1 wrote it (before renewal commands lost their card token): with the token. */
    public static byte[] renewalVersionOne(String user, LocalDate period, String cardToken) {
        return ("{\"idempotencyKey\":\"" + user + ":" + period + "\",\"userId\":\"" + user + "\",\"period\":\"" + period
                + "\",\"amount\":9.90,\"currency\":\"EUR\",\"cardToken\":\"" + cardToken
                + "\",\"requestedAt\":\"2030-01-15T12:00:00Z\"}").getBytes(StandardCharsets.UTF_8);
    }
}
