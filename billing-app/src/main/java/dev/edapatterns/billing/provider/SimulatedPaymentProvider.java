package dev.edapatterns.billing.provider;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.inject.Default;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.edapatterns.billing.BillingConfig;
import dev.edapatterns.contracts.Json;
import dev.edapatterns.contracts.billing.CardTokens;
import io.smallrye.common.annotation.Identifier;

/**
 * A payment provider in this process that charges nothing real. It records every call it receives (the tests count
 * real charges there, not in the app) and, when {@code billing.provider.simulated.call-log} is set, appends each call
 * as a JSON line to that file, so the log outlives a restart of the app. Switches: transient failure rate, outage,
 * always-declined cards (and every card token starting with {@code tok_declined}). Failures happen before charging:
 * a failed call never charged. The recorded calls show the card as its token's last 4 characters only.
 */
@Singleton
@Default // also injected as itself by its admin resource (switches, call log)
@Identifier("simulated")
public class SimulatedPaymentProvider implements PaymentProvider {

    private static final Logger LOG = Logger.getLogger(SimulatedPaymentProvider.class);

    /** Guarded by this (a copy-on-write list would copy all calls on every call: quadratic over a long run). */
    private final List<ProviderCall> calls = new ArrayList<>();
    private final AtomicLong seq = new AtomicLong();
    private final Optional<Path> callLog;
    private final Clock clock;
    private volatile ProviderSwitches switches;
    private volatile Duration latency;

    SimulatedPaymentProvider(BillingConfig config, Clock clock) {
        this.callLog = config.provider().simulated().callLog();
        this.clock = clock;
        this.switches = new ProviderSwitches(config.provider().simulated().failureRate(), false, Set.of());
        this.latency = config.provider().simulated().latency();
    }

    /**
     * Not synchronized: calls run at the same time as a real provider's do (each taking {@link #latency}), so the call
     * log shows whether two calls overlapped ({@link ProviderCall#startedAt()}, {@link ProviderCall#endedAt()}).
     */
    @Override
    public ChargeReceipt charge(ChargeRequest request) {
        Instant started = Instant.now();
        ProviderSwitches s = switches;
        waitLatency();
        if (s.outage() || ThreadLocalRandom.current().nextDouble() < s.failureRate()) {
            record(request, ProviderCall.Outcome.FAILED, null, started);
            throw new TransientChargeException(s.outage() ? "provider outage" : "provider transient failure");
        }
        if (s.declinedCards().contains(request.cardToken()) || request.cardToken().startsWith("tok_declined")) {
            record(request, ProviderCall.Outcome.DECLINED, null, started);
            throw new CardDeclinedException("card declined");
        }
        String chargeId = "ch_" + UUID.randomUUID();
        record(request, ProviderCall.Outcome.CHARGED, chargeId, started);
        return new ChargeReceipt(chargeId, clock.instant());
    }

    private void waitLatency() {
        Duration wait = latency;
        if (!wait.isZero()) {
            try {
                Thread.sleep(wait.toMillis()); // the simulated network and provider time of one call
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TransientChargeException("interrupted");
            }
        }
    }

    /** One call at a time in the list and the file: seq follows the order of the lines. */
    private synchronized void record(ChargeRequest r, ProviderCall.Outcome outcome, String chargeId, Instant started) {
        ProviderCall call = new ProviderCall(seq.incrementAndGet(), clock.instant(), r.idempotencyKey(), r.userId(), r.amount(),
                r.currency(), CardTokens.last4(r.cardToken()), outcome, chargeId, started, Instant.now());
        calls.add(call);
        callLog.ifPresent(path -> append(path, call));
    }

    /** How long each call takes (config {@code billing.provider.simulated.latency}; tests change it). */
    public void latency(Duration latency) {
        this.latency = latency;
    }

    /**
     * Without {@code SYNC}: a written line is in the operating system's cache at once and outlives a {@code kill -9} of
     * the app, which is what the log is for; only a crash of the machine could lose the last lines, and an fsync per
     * call made the simulation cost the app more CPU than some of the work measured beside it (benchmark P4).
     */
    private static void append(Path path, ProviderCall call) {
        try {
            Files.writeString(path, Json.mapper().writeValueAsString(call) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            LOG.warnf("Cannot append to the provider call log %s: %s", path, e.toString());
        }
    }

    public synchronized List<ProviderCall> calls() {
        return List.copyOf(calls);
    }

    public ProviderSwitches switches() {
        return switches;
    }

    public void switches(ProviderSwitches switches) {
        this.switches = switches;
        LOG.infof("Simulated provider switches: %s", switches);
    }
}
